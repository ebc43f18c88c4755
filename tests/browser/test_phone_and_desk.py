"""The phone and the desk as people use them, in real Chromium: the booking calendar at phone
width, the error summary after a refused step, and the window's keyboard flow."""

import uuid
from datetime import date, timedelta

import pytest

from tests.browser.conftest import PHONE, wait_until
from tests.factories import (
    PASSWORD,
    make_application,
    make_centre,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from webapp.clock import local_today
from webapp.models import Application, PreRegistration, Ticket
from webapp.services.desk import tickets

pytestmark = pytest.mark.browser


def sign_in(page, base, identifier):
    page.goto(base + "/login")
    page.fill("#identifier", identifier)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]:not(.small)")


def sit_at_window(page, base, window):
    page.goto(base + "/desk/window")
    page.select_option("#window", window)
    with page.expect_navigation():
        page.click("form.inline-form button[type=submit]")


@pytest.fixture
def open_season(app):
    """A season open from today for 80 days, and a student with a submitted application."""
    with app.app_context():
        today = local_today()
    centre = make_centre()
    season = make_season(
        centre, year=today.year, acceptance_start=today, acceptance_end=today + timedelta(days=80)
    )
    student = make_student(centre, name="周小满")
    make_application(student, season, status="submitted")
    return centre, season, student


def test_the_booking_calendar_fits_a_phone_with_the_button_in_reach(browser, live_server, open_season):
    _, _, student = open_season
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, student.id_number)
    page.goto(live_server.url + "/me/booking?service=first_loan")
    assert page.locator("section.week").count() >= 2
    assert page.is_hidden("details.later section.week >> nth=0")  # later dates on demand
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 2000, height
    button = page.locator(".sticky-actions button")
    box = button.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"]  # in reach without scrolling
    for half in page.locator(".slot-text .half").all()[:4]:
        assert half.evaluate("e => e.getClientRects().length") == 1  # 上午 on one line
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".slot:not(.full):not(.closed)").first.click()
    button.click()
    page.wait_for_url("**/me/booking/*")
    context.close()


def test_a_refused_step_is_summarised_announced_and_focused(browser, live_server, open_season):
    centre, _, _ = open_season
    make_user(centre, role="admin", username="boss")
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, "boss")
    page.context.add_cookies([{"name": "lang", "value": "en", "url": live_server.url}])
    page.goto(live_server.url + "/admin/users")
    page.fill("#username", "x")
    page.fill("#name", "")
    page.click("form:has(#username) button[type=submit]")
    summary = page.locator(".error-summary")
    summary.wait_for()
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Error: ")
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") in ("username", "name")
    context.close()


def test_the_window_remembers_its_seat_and_focuses_the_called_ticket(app, browser, live_server, open_season):
    centre, _, _ = open_season
    clerk = make_user(centre, role="desk", username="clerk")
    with app.test_request_context():
        ticket = tickets.walk_in(centre, "first_loan", "路过的同学", valid_id_number(), clerk)
        tickets.admit(ticket, clerk)
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, live_server.url, "clerk")
    sit_at_window(page, live_server.url, "4")
    with page.expect_navigation():
        page.click("form[data-logout] button[type=submit]")
    sign_in(page, live_server.url, "clerk")
    page.goto(live_server.url + "/desk/window")
    assert "4" in page.inner_text("h1")
    with page.expect_navigation():
        page.click("#call-next")
    assert page.evaluate("document.activeElement.id") == "current-ticket"
    assert page.inner_text("#current-ticket") == ticket.label
    context.close()


def test_a_walk_in_without_a_phone_is_found_linked_typed_and_accepted(app, browser, live_server, open_season):
    """A student without a booking or a phone: the desk finds them by the last digits of the ID
    number, gives a walk-in ticket linked to them, types the application and accepts it."""
    centre, season, _ = open_season
    student = make_student(centre, name="郝无机", with_account=False)
    PreRegistration.create(
        centre=centre,
        uuid=uuid.uuid4(),
        id_number=student.id_number,
        name=student.name,
        student=student,
        category=2,
    )
    make_user(centre, role="desk", username="clerk")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "clerk")
    page.goto(live_server.url + "/desk/window")
    with page.expect_navigation():
        page.click("form.inline-form button[type=submit]")  # window 1, first loans
    page.goto(live_server.url + "/desk/")
    page.fill("#q", student.id_number[-4:])
    with page.expect_navigation():
        page.click("form.search button[type=submit]")
    found = page.locator(".found-students li", has_text="郝无机")
    with page.expect_navigation():
        found.get_by_role("button", name="发放现场号").click()
    ticket = Ticket.get(Ticket.student == student)
    assert ticket.walk_in and ticket.status == "held"
    with page.expect_navigation():
        page.locator("tr", has_text="郝无机").get_by_role("button", name="准予办理").click()

    page.goto(live_server.url + "/desk/window")
    with page.expect_navigation():
        page.click("#call-next")
    with page.expect_navigation():
        page.get_by_role("button", name="在窗口开始填写申请").click()
    parent = valid_id_number(birth=date(1978, 5, 6))
    steps = {
        "personal": {"#household_size": "3", "#home_address": "右玉县杀虎口村", "#postcode": "037200"},
        "co_borrower": {"#name": "郝大山", "#id_number": parent, "#mobile": "13912345678"},
        "study": {
            "#university": "山西大学",
            "#major": "化学",
            "#study_years": "4",
            "#admission_year": str(season.year),
            "#tuition_fee": "5000",
            "#accommodation_fee": "1200",
        },
        "loan": {"#amount": "12000", "#one_loan": True},
    }
    for step, values in steps.items():
        page.click(f"a[href$='/steps/{step}']")
        for selector, value in values.items():
            page.check(selector) if value is True else page.fill(selector, value)
        if step == "personal":
            page.select_option("#ethnicity", "01")
            page.select_option("#political_status", "masses")
            page.select_option("#hukou_type", "rural")
        if step == "co_borrower":
            page.select_option("#relation", "father")
        if step == "study":
            page.select_option("#level", "undergraduate")
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.locator(".flash-success").count() == 1, page.inner_text("main")
    with page.expect_navigation():
        page.get_by_role("button", name="提交申请").click()
    for box in page.locator("input[name='a-materials']").all():
        box.check()
    page.fill("#a-contract_number", "HT2026140623777")
    page.fill("#a-receipt_code", "R8X2Q7M1")
    with page.expect_navigation():
        page.get_by_role("button", name="受理并开具受理证明").click()
    application = Application.get(Application.student == student)
    assert application.status == "accepted" and application.amount_requested == 12000
    context.close()


ZOOMED_PHONE = {"width": 195, "height": 422}  # a 390 px phone at 200 % zoom


@pytest.mark.parametrize(
    "who, path",
    [
        ("clerk", "/desk/"),
        ("clerk", "/desk/window"),
        ("boss", "/admin/dashboard"),
        ("boss", "/admin/seasons"),
        ("boss", "/admin/audit"),
        ("boss", "/outreach/pre-registrations"),
        ("student", "/me/"),
        ("student", "/me/booking?service=first_loan"),
    ],
)
def test_no_sideways_scrolling_at_200_percent_zoom(browser, live_server, open_season, who, path):
    centre, _, student = open_season
    make_user(centre, role="desk", username="clerk")
    make_user(centre, role="admin", username="boss")
    context = browser.new_context(viewport=ZOOMED_PHONE, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, student.id_number if who == "student" else who)
    page.goto(live_server.url + path)
    overflow = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .filter((e) => !e.closest(".table-wrap, .visually-hidden, svg"))
            .map((e) => e.tagName + (e.id ? "#" + e.id : "") + "." + e.className).slice(0, 5)"""
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= ZOOMED_PHONE["width"] and overflow == [], (width, overflow)
    context.close()


def test_the_phones_ticket_page_follows_a_no_show_and_the_requeue(app, browser, live_server, open_season):
    """The student's page shows the call, the no-show and, after the desk puts them back in line,
    the wait again, without anyone reloading it."""
    from webapp.services.desk import calling

    centre, _, student = open_season
    clerk = make_user(centre, role="desk", username="clerk2")
    with app.test_request_context():
        ticket = tickets.walk_in(centre, "first_loan", student.name, student.id_number, clerk)
        tickets.admit(ticket, clerk)
    context = browser.new_context(viewport=PHONE, is_mobile=True)
    page = context.new_page()
    sign_in(page, live_server.url, student.id_number)
    page.goto(live_server.url + "/me/ticket")
    assert page.inner_text(".ticket-number") == ticket.label
    with app.test_request_context():
        calling.call_next(centre, local_today(), "first_loan", 2, clerk)
    wait_until(page, "document.getElementById('ticket-ahead').textContent.includes('2')", timeout=15000)
    with app.test_request_context():
        calling.skip(Ticket.get_by_id(ticket.id), clerk)
    page.wait_for_selector("#ticket-skipped", timeout=15000)
    with app.test_request_context():
        calling.requeue(Ticket.get_by_id(ticket.id), clerk)
    page.wait_for_selector("#ticket[data-status='waiting']", timeout=15000)
    assert "people before you" in page.inner_text("#ticket-ahead") or "人" in page.inner_text("#ticket-ahead")
    context.close()


def test_a_walk_in_never_met_gets_a_record_at_the_window(app, browser, live_server, open_season):
    """No account, no pre-registration: the window makes the record from the ID card and the
    application opens, ready to be typed."""
    centre, _, _ = open_season
    clerk = make_user(centre, role="desk", username="clerk3")
    number = valid_id_number()
    with app.test_request_context():
        ticket = tickets.walk_in(centre, "first_loan", "初次来的同学", number, clerk)
        tickets.admit(ticket, clerk)
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server.url, "clerk3")
    sit_at_window(page, live_server.url, "1")
    with page.expect_navigation():
        page.click("#call-next")
    assert page.input_value("#ws-name") == "初次来的同学" and page.input_value("#ws-id") == number
    page.fill("#ws-mobile", "13912345670")
    with page.expect_navigation():
        page.get_by_role("button", name="建立记录并开始申请").click()
    assert "/desk/applications/" in page.url and "初次来的同学" in page.inner_text("h1")
    application = Application.get(Application.student == Ticket.get_by_id(ticket.id).student)
    assert application.status == "draft" and application.student.mobile == "13912345670"
    context.close()
