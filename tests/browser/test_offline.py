"""The offline pre-registration page in real Chromium: no network, restarts, lost answers,
server errors, expired sign-ins and service-worker updates never lose or duplicate a record."""

import pytest

from tests.browser.capture_helpers import (
    capture,
    go_offline,
    go_online,
    pending,
    sign_in,
    wait_pending,
    wait_ready,
)
from tests.browser.conftest import PHONE, wait_until
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import PASSWORD, make_school, make_user, valid_id_number
from webapp.models import Centre, PreRegistration, RosterEntry

pytestmark = pytest.mark.browser


def test_twenty_records_offline_survive_a_restart_and_sync_once(playwright, site, tmp_path):
    profile = tmp_path / "profile"
    launch = dict(user_data_dir=str(profile), executable_path=CHROMIUM, args=CHROMIUM_ARGS, viewport=PHONE)
    context = playwright.chromium.launch_persistent_context(**launch)
    page = context.pages[0]
    sign_in(page, site)
    go_offline(context, site)
    page.reload()
    wait_ready(page)
    for n in range(20):
        capture(page, f"离线学生{n:02d}")
    assert pending(page) == 20
    assert "离线" in page.inner_text("#connection")
    context.close()

    context = playwright.chromium.launch_persistent_context(offline=True, **launch)
    page = context.pages[0]
    page.goto(site.url + "/outreach/capture")
    wait_ready(page)
    wait_pending(page, 20)
    assert page.locator("#records li").count() == 20
    go_online(context, site)
    wait_pending(page, 0)
    context.close()
    rows = list(PreRegistration.select())
    assert len(rows) == 20 and {r.status for r in rows} == {"accepted"}
    assert sorted(r.name for r in rows) == [f"离线学生{n:02d}" for n in range(20)]


def test_a_lost_answer_is_retried_without_duplicates(browser, site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, site)
    site.drop_sync = 1
    capture(page, "丢包学生")
    wait_pending(page, 0)
    assert site.sync_posts >= 2
    assert PreRegistration.select().count() == 1
    assert "资助中心已接收" in page.inner_text("#records")
    context.close()


def test_the_outbox_drains_by_itself_after_server_errors(browser, site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, site)
    site.fail_api = 4
    for n in range(3):
        capture(page, f"重试学生{n}")
    wait_until(page, "document.getElementById('connection').textContent.includes('无响应')")
    wait_pending(page, 0, timeout=30000)
    assert PreRegistration.select().count() == 3
    context.close()


def test_expired_sign_in_asks_to_sign_in_and_keeps_the_records(browser, site):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, site)
    context.clear_cookies()
    capture(page, "过期学生")
    page.wait_for_selector("#signin-needed:not([hidden])")
    assert pending(page) == 1 and PreRegistration.select().count() == 0
    page.click("#signin-needed a")
    page.fill("#identifier", "sun")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit]:not(.small)")
    page.wait_for_url(site.url + "/outreach/capture")
    wait_pending(page, 0)
    assert PreRegistration.select().count() == 1
    context.close()


def test_two_devices_register_the_same_student(browser, site):
    number = valid_id_number()
    make_user(Centre.get(), role="outreach", username="li")
    devices = []
    for username in ("sun", "li"):
        context = browser.new_context(viewport=PHONE)
        page = context.new_page()
        sign_in(page, site, username)
        capture(page, "重复学生", number)
        wait_pending(page, 0)
        devices.append((context, page))
    assert "该身份证号已登记" in devices[1][1].inner_text("#records")
    statuses = [r.status for r in PreRegistration.select().order_by(PreRegistration.id)]
    assert statuses == ["accepted", "possible_duplicate"]
    page = devices[0][1]
    page.goto(site.url + "/outreach/review")
    assert "重复学生" in page.inner_text("main")
    for context, _ in devices:
        context.close()


def test_an_update_while_records_are_pending_keeps_them(browser, site, app):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, site)
    old_caches = page.evaluate("caches.keys()")
    site.fail_api = 10**6
    capture(page, "更新前学生")
    assert pending(page) == 1

    app.config["OFFLINE_SHELL_SALT"] = "next-release"
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    page.wait_for_selector("#update-ready:not([hidden])")
    page.click("#update-now")
    page.wait_for_load_state("load")
    wait_ready(page)
    wait_until(page, f"caches.keys().then(k => k.length === 1 && k[0] !== {old_caches[0]!r})")
    assert pending(page) == 1

    go_offline(context, site)
    page.reload()
    wait_ready(page)
    capture(page, "更新后学生")
    assert pending(page) == 2
    site.fail_api = 0
    go_online(context, site)
    wait_pending(page, 0)
    assert PreRegistration.select().count() == 2
    context.close()


def test_the_roster_on_the_device_holds_the_last_four_digits_only(browser, site):
    school = make_school(Centre.get(), name="右玉县第二中学")
    number = valid_id_number()
    RosterEntry.create(
        centre=school.centre, school=school, id_number=number, name="郑有名", class_name="高三(5)班"
    )
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, site)
    cached = page.evaluate(
        """async () => {
            const names = await caches.keys();
            let text = "";
            for (const name of names) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) text += await (await cache.match(request)).text();
            }
            const kept = await Outbox.getMeta("reference:sun");
            return text + JSON.stringify(localStorage) + JSON.stringify(kept);
        }"""
    )
    assert "郑有名" in cached and number not in cached
    page.select_option("#f-school", label="右玉县第二中学")
    page.fill("#f-name", "郑")
    page.get_by_role("button", name="郑有名 · 高三(5)班").click()
    assert page.input_value("#f-id") == "" and page.input_value("#f-class") == "高三(5)班"
    assert number[-4:] in page.inner_text("#f-id-derived")
    page.fill("#f-id", number)
    page.dispatch_event("#f-id", "input")
    assert number[-4:] not in page.inner_text("#f-id-derived")
    context.close()
