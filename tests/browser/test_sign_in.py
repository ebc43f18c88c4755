"""Each role signs in on a phone-sized screen and lands on its own home page."""

import pytest

from tests.factories import PASSWORD, make_centre, make_season, make_student, make_user

pytestmark = pytest.mark.browser

HOMES = {
    "admin": ("/staff/admin", "右玉县学生资助管理中心"),
    "leader": ("/staff/leader", "概况"),
    "outreach": ("/outreach/capture", "学生预申请"),
    "desk": ("/desk/", "今日窗口"),
}


@pytest.fixture
def people(app):
    centre = make_centre()
    make_season(centre)
    users = {role: make_user(centre, role=role, username=f"demo-{role}").username for role in HOMES}
    users["student"] = make_student(centre, name="赵同学").id_number
    return users


def sign_in(page, base_url, identifier):
    page.goto(base_url + "/")
    assert page.locator("h1").inner_text() == "登录"
    page.get_by_label("身份证号、手机号或用户名").fill(identifier)
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_every_role_lands_on_its_home_at_phone_width(live_server, phone, people):
    """…and no page breaks the Content-Security-Policy (no inline script or style, no eval)."""
    violations = []
    phone.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )
    for role, (path, heading) in {**HOMES, "student": ("/me/", "我的信息")}.items():
        sign_in(phone, live_server.url, people[role])
        phone.wait_for_url(live_server.url + path)
        assert heading in phone.locator("h1").inner_text()
        nav = phone.get_by_role("navigation", name="主导航")
        assert nav.is_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{role} page scrolls sideways ({width}px)"
        phone.get_by_role("button", name="退出").click()
        phone.wait_for_url(live_server.url + "/login")
    assert violations == []


def test_wrong_password_shows_message_next_to_field(live_server, phone, people):
    phone.goto(live_server.url + "/login")
    phone.get_by_label("身份证号、手机号或用户名").fill(people["desk"])
    phone.get_by_label("密码", exact=True).fill("not-the-password")
    phone.get_by_role("button", name="登录").click()
    error = phone.locator("#password-error")
    assert "不匹配" in error.inner_text()
    assert phone.get_by_label("密码", exact=True).get_attribute("aria-invalid") == "true"


def test_language_switch_is_remembered(live_server, phone, people):
    phone.goto(live_server.url + "/login")
    phone.get_by_label("语言").select_option("en")
    phone.get_by_role("button", name="切换").click()
    assert phone.locator("h1").inner_text() == "Sign in"
    phone.goto(live_server.url + "/signup")
    assert phone.locator("h1").inner_text() == "Create a student account"
