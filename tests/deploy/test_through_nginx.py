"""Through nginx to two gunicorn instances, in Chromium: a signed-in session holds while its
requests hop between the instances; a student signs in with the ID number and follows the
ticket; the desk calls on one instance and the waiting-room screen, served by the other, shows
the call (pushed or polled, whichever the screen uses)."""

import time

import pytest

from tests.browser.conftest import wait_until
from tests.deploy.conftest import Upstreams
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
DESK_PAGES = ("/desk/", "/desk/window", "/desk/renewals", "/desk/incidents", "/desk/owed-papers", "/desk/")


def signed_in(browser, base, identifier, viewport=DESKTOP, home="/desk/"):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    upstreams = Upstreams(page)
    page.goto(base + "/login")
    page.fill("#identifier", identifier)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(base + home)
    return page, upstreams


def test_a_session_holds_while_requests_hop_between_instances(deployment, browser):
    base = deployment.url
    page, upstreams = signed_in(browser, base, deployment.people.hopper)
    try:
        since = time.monotonic()
        for path in DESK_PAGES:
            response = page.goto(base + path)
            assert response.status == 200, (path, response.status)
            assert page.url == base + path, f"{path} sent the browser to {page.url}"
            assert page.locator("#identifier").count() == 0, f"{path} asked to sign in again"
        answered = {upstream for _at, _method, url, upstream in upstreams.seen if _at >= since}
        assert answered == {u.removeprefix("http://") for u in deployment.stack.instances}, answered
    finally:
        page.context.close()


def test_the_student_follows_the_ticket_and_the_screen_sees_calls_from_the_other_instance(
    deployment, browser
):
    base = deployment.url
    people = deployment.people
    phone, _phone_upstreams = signed_in(browser, base, people.student.id_number, PHONE, home="/me/")
    desk, desk_upstreams = signed_in(browser, base, people.clerk)
    screen, screen_upstreams = signed_in(browser, base, people.watcher)
    try:
        # The student: the record page, then the ticket, first in line.
        assert phone.locator("main").count() == 1
        phone.goto(base + "/me/ticket")
        assert "A001" in phone.inner_text("main")
        assert "前面还有 0 人" in phone.inner_text("#ticket-ahead")

        # The desk sits at window 1; the screen opens.
        desk.goto(base + "/desk/window")
        desk.select_option("#window", "1")
        desk.get_by_role("button", name="在此办理").click()
        desk.wait_for_url(base + "/desk/window")
        screen.goto(base + "/desk/screen")
        wait_until(screen, "document.getElementById('screen').dataset.state === 'live'")

        crossed = []
        for _attempt in range(8):
            pressed = time.monotonic()
            with desk.expect_response(lambda r: r.url.endswith("/desk/window/next")) as called:
                desk.get_by_role("button", name="叫下一号").click()
            desk.wait_for_load_state()
            call_upstream = called.value.headers["x-upstream"]
            label = desk.inner_text("#current-ticket")
            wait_until(
                screen,
                "label => (document.querySelector('.call.newest') || {}).textContent?.includes(label)",
                arg=label,
                timeout=10000,
            )
            shown_at = time.monotonic()
            # What brought the call to the screen: the last poll answered after the press, or
            # else the event stream open at the time.
            polls = [u for at, u in screen_upstreams.of("/desk/screen/state.json", pressed) if at <= shown_at]
            streams = [u for at, u in screen_upstreams.of("/desk/screen/events") if at <= shown_at]
            screen_upstream = polls[-1] if polls else streams[-1]
            if label == "A001":
                # the student's phone learns of the call by itself (ticket.js polls every 5 s)
                wait_until(
                    phone,
                    "() => document.getElementById('ticket-ahead').textContent.includes('请到 1 号窗口')",
                    timeout=15000,
                )
            if call_upstream != screen_upstream:
                crossed.append((label, call_upstream, screen_upstream))
                break
            # Same instance this time: one request more shifts nginx's turn, and the next call
            # goes to the other instance.
            desk.evaluate("fetch('/healthz').then(r => r.text())")
            desk.get_by_role("button", name="办结").click()
            desk.wait_for_load_state()
        assert crossed, "every call reached the instance that served the screen"
        instances = {u.removeprefix("http://") for u in deployment.stack.instances}
        assert {u for _at, _m, _url, u in desk_upstreams.seen} == instances
    finally:
        for page in (phone, desk, screen):
            page.context.close()
