"""Two desk windows and the waiting-room screen open at once in Chromium: the windows call in
turn, the screen shows each call within 2 seconds and reads it aloud, no ticket is called
twice, and the screen comes back by itself after the server restarts."""

import time

import pytest

from tests.browser.conftest import wait_until
from tests.factories import PASSWORD, make_appointment, make_centre, make_season, make_student, make_user
from tests.http_helpers import LiveServer
from webapp.clock import local_today
from webapp.models import AuditEvent, DutyAssignment, Ticket
from webapp.services.desk import tickets

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}
# Speech is recorded instead of played: headless Chromium has no voices to speak with.
RECORD_SPEECH = """
window.__spoken = [];
window.speechSynthesis.speak = function (utterance) { window.__spoken.push(utterance.text); };
"""


@pytest.fixture
def morning(app):
    centre = make_centre()
    season = make_season(centre)
    with app.app_context():
        today = local_today()
        for n in range(6):
            appointment = make_appointment(make_student(centre, name=f"学生{n}"), season, today)
            with app.test_request_context():
                tickets.issue_ticket(appointment, today)
    leader = make_user(centre, role="leader", name="钱主任")
    DutyAssignment.create(centre=centre, day=today, user=leader)
    return {"centre": centre, "clerks": [make_user(centre, role="desk") for _ in range(2)], "leader": leader}


def signed_in_page(browser, base, username):
    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    page = context.new_page()
    page.goto(base + "/login")
    page.fill("#identifier", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()
    return page


def sit_at(page, base, window):
    page.goto(base + "/desk/window")
    page.select_option("#window", str(window))
    page.get_by_role("button", name="在此办理").click()
    page.wait_for_url(base + "/desk/window")


def test_two_windows_and_the_screen(app, browser, morning):
    app.config["SCREEN_STREAM_SECONDS"] = 3  # streams end often: the restart below is noticed soon
    server = LiveServer(app).__enter__()
    base = server.url
    port = int(base.rsplit(":", 1)[1])
    windows = [signed_in_page(browser, base, clerk.username) for clerk in morning["clerks"]]
    for number, page in enumerate(windows, start=1):
        sit_at(page, base, number)
    screen = signed_in_page(browser, base, morning["leader"].username)
    screen.add_init_script(RECORD_SPEECH)
    screen.goto(base + "/desk/screen")
    screen.get_by_role("button", name="开启语音播报").click()
    wait_until(screen, "document.getElementById('screen').dataset.state === 'live'")
    assert "钱主任" in screen.inner_text("#duty")

    seen = []
    for turn in range(4):
        page, number = windows[turn % 2], turn % 2 + 1
        pressed = time.monotonic()
        page.get_by_role("button", name="叫下一号").click()
        page.wait_for_load_state()
        label = page.inner_text("#current-ticket")
        left_ms = 2000 - (time.monotonic() - pressed) * 1000  # the screen has 2 s from the press
        wait_until(
            screen,
            "label => (document.querySelector('.call.newest') || {}).textContent?.includes(label)",
            arg=label,
            timeout=max(left_ms, 1),
        )
        seen.append((label, number))
        page.get_by_role("button", name="办结").click()
        page.wait_for_load_state()

    assert [label for label, _number in seen] == ["A001", "A002", "A003", "A004"]
    assert screen.evaluate("document.getElementById('screen').dataset.via") == "stream"
    spoken = screen.evaluate("window.__spoken")
    assert spoken == [f"请 {label} 号到 {number} 号窗口办理" for label, number in seen]
    screen.get_by_role("button", name="重播上一次叫号").click()
    assert screen.evaluate("window.__spoken.at(-1)") == "请 A004 号到 2 号窗口办理"

    # The server restarts: the screen says the connection is lost, then catches up by itself.
    server.__exit__(None, None, None)
    wait_until(screen, "document.getElementById('screen').dataset.state === 'lost'", timeout=5000)
    server = LiveServer(app, port=port).__enter__()
    try:
        windows[0].get_by_role("button", name="叫下一号").click()
        windows[0].wait_for_load_state()
        wait_until(
            screen,
            "(document.querySelector('.call.newest') || {}).textContent?.includes('A005')",
            timeout=8000,
        )
        assert screen.evaluate("document.getElementById('screen').dataset.state") == "live"
    finally:
        server.__exit__(None, None, None)
    called = [t.label for t in Ticket.select().where(Ticket.called_at.is_null(False))]
    assert sorted(called) == ["A001", "A002", "A003", "A004", "A005"]
    assert AuditEvent.select().where(AuditEvent.action == "ticket.called").count() == 5


@pytest.mark.parametrize("blocked", ["abort", "error page"])
def test_the_screen_polls_when_the_stream_is_blocked(app, browser, morning, blocked):
    """A proxy that refuses streams: the screen falls back to polling and still shows calls."""
    with LiveServer(app) as server:
        screen = signed_in_page(browser, server.url, morning["leader"].username)
        if blocked == "abort":
            screen.route("**/desk/screen/events", lambda route: route.abort())
        else:
            screen.route("**/desk/screen/events", lambda route: route.fulfill(status=502, body="Bad Gateway"))
        screen.goto(server.url + "/desk/screen")
        wait_until(screen, "document.getElementById('screen').dataset.via === 'poll'", timeout=8000)
        window = signed_in_page(browser, server.url, morning["clerks"][0].username)
        sit_at(window, server.url, 1)
        window.get_by_role("button", name="叫下一号").click()
        wait_until(screen, "(document.querySelector('.call.newest') || {}).textContent?.includes('A001')")
        assert screen.evaluate("document.getElementById('screen').dataset.state") == "live"
