"""axe-core (from the axe-playwright-python wheel) finds nothing on the main pages of each role,
at phone and desktop width."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, make_application, make_centre, make_season, make_student, make_user

pytestmark = pytest.mark.browser

PAGES = {
    None: ["/login", "/policy", "/offline"],
    "student": ["/me/", "/me/application", "/me/booking?service=first_loan", "/me/ticket"],
    "desk": ["/desk/", "/desk/window", "/documents/", "/desk/incidents"],
    "outreach": ["/outreach/pre-registrations", "/outreach/visits"],
    "admin": [
        "/admin/dashboard",
        "/admin/seasons",
        "/admin/users",
        "/admin/audit",
        "/admin/exports",
        "/admin/publicity",
    ],
    "province": ["/staff/province", "/staff/province/students?q=张三"],
}


@pytest.fixture
def people(app):
    centre = make_centre()
    season = make_season(centre)
    student = make_student(centre, name="张三")
    make_application(student, season, status="submitted")
    accounts = {"student": student.id_number}
    for role in ("desk", "outreach", "admin"):
        accounts[role] = make_user(centre, role=role, username=role).username
    accounts["province"] = make_user(None, role="province", username="province").username
    return accounts


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1280, "height": 800}], ids=["phone", "desktop"])
@pytest.mark.parametrize("role", list(PAGES))
def test_axe_finds_no_violations(browser, live_server, people, role, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    if role:
        page.goto(live_server.url + "/login")
        page.fill("#identifier", people[role])
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("form button[type=submit]:not(.small)")
    found = {}
    for path in PAGES[role]:
        page.goto(live_server.url + path)
        violations = Axe().run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    context.close()
    assert found == {}
