"""Booking a half-day: every rule, the pages, other students' bookings, and no overbooking."""

import json
import threading
import urllib.error
import urllib.request
from datetime import date, datetime, timedelta

import pytest

from tests.factories import PASSWORD, make_application, make_centre, make_season, make_student, next_weekday
from tests.http_helpers import csrf_token, signed_in_opener
from webapp.models import Appointment, ClosedDay, ServiceQuota
from webapp.services.booking import appointments

NEXT_YEAR = date.today().year + 1


@pytest.fixture
def season(app):
    centre = make_centre(address="右玉县新城镇")
    return make_season(centre, year=NEXT_YEAR)


@pytest.fixture
def monday(season):
    return next_weekday(season.acceptance_start)


def applicant(season, name):
    """A student with a submitted first-loan application: a reason to book."""
    student = make_student(season.centre, name=name)
    make_application(student, season, status="submitted")
    return student


@pytest.fixture
def student(season):
    return applicant(season, "周同学")


def book(app, *args, **kwargs):
    with app.test_request_context():
        return appointments.book_slot(*args, **kwargs)


def refused(app, *args, **kwargs):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        with pytest.raises(appointments.BookingError) as info:
            appointments.book_slot(*args, **kwargs)
        return info.value.status, str(info.value.message)


def test_a_good_booking(app, season, student, monday):
    appointment = book(app, student, season, "first_loan", monday, "morning")
    assert (appointment.status, appointment.day, len(appointment.code)) == ("booked", monday, 6)


@pytest.mark.parametrize(
    "service, half_day, shift, fragment",
    [
        ("party", "morning", 0, "service from the list"),
        ("contract_change", "morning", 0, "no contract-change window"),
        ("first_loan", "evening", 0, "morning or the afternoon"),
        ("first_loan", "morning", -30, "between"),
        ("first_loan", "morning", 5, "closed"),  # Saturday
    ],
)
def test_bad_slots_are_refused(app, season, student, monday, service, half_day, shift, fragment):
    status, message = refused(app, student, season, service, monday + timedelta(days=shift), half_day)
    assert status == 422 and fragment in message


def test_a_day_closed_by_the_admin_is_refused_and_not_offered(app, season, student, monday):
    ClosedDay.create(season=season, day=monday, reason="中秋节")
    assert "closed" in refused(app, student, season, "first_loan", monday, "morning")[1]
    with app.test_request_context():
        assert monday not in {slot.day for slot in appointments.calendar(season, "first_loan")}


def test_bookings_close_before_the_half_day(app, season, student, monday):
    late = datetime.combine(monday, datetime.min.time()) + timedelta(hours=-1)
    status, message = refused(app, student, season, "first_loan", monday, "morning", now=late)
    assert "closed" in message


def test_one_active_booking_per_service(app, season, student, monday):
    book(app, student, season, "first_loan", monday, "morning")
    status, message = refused(app, student, season, "first_loan", monday, "afternoon")
    assert status == 409 and "already have a booking" in message
    make_application(student, season, kind="renewal", status="approved", needs_window=True)
    assert book(app, student, season, "renewal", monday, "afternoon").service == "renewal"


@pytest.mark.parametrize(
    "kind, status, needs_window",
    [
        (None, None, None),
        ("renewal", "submitted", True),
        ("renewal", "approved", False),
        ("first_loan", "approved", True),
    ],
)
def test_a_renewal_half_day_only_when_the_desk_asks_for_the_window(
    app, season, monday, kind, status, needs_window
):
    renewing = make_student(season.centre, name="续同学")
    if kind:
        make_application(renewing, season, kind=kind, status=status, needs_window=needs_window)
    status, message = refused(app, renewing, season, "renewal", monday, "morning")
    assert status == 409 and "handled online" in message


def test_an_accepted_loan_books_no_first_loan_half_day(client, auth, app, season, monday):
    done = make_student(season.centre, name="已受理")
    make_application(done, season, status="accepted")
    code, message = refused(app, done, season, "first_loan", monday, "morning")
    assert code == 409 and "nothing more to book" in message
    auth.login(done.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/booking?service=first_loan").get_data(as_text=True)
    assert "nothing more to book" in page and 'name="slot"' not in page
    assert Appointment.select().count() == 0


@pytest.mark.parametrize("status", [None, "draft", "returned"])
def test_a_first_loan_half_day_needs_a_submitted_application(client, auth, app, season, monday, status):
    """Places cannot be drained by accounts with no application behind them."""
    empty = make_student(season.centre, name="空账号")
    if status:
        make_application(empty, season, status=status)
    code, message = refused(app, empty, season, "first_loan", monday, "morning")
    assert code == 403 and "Submit your application first" in message
    auth.login(empty.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/booking?service=first_loan").get_data(as_text=True)
    assert "Submit your application first" in page and 'name="slot"' not in page
    api = client.post(
        "/api/bookings", json={"service": "first_loan", "day": str(monday), "half_day": "morning"}
    )
    assert api.status_code == 403 and api.get_json()["error"] == "no_application"
    assert Appointment.select().count() == 0


def test_a_full_half_day_and_a_cancelled_place_freed_again(app, season, monday):
    ServiceQuota.update(places=2).where(ServiceQuota.season == season).execute()
    students = [applicant(season, f"学生{n}") for n in range(3)]
    first = book(app, students[0], season, "first_loan", monday, "morning")
    book(app, students[1], season, "first_loan", monday, "morning")
    status, message = refused(app, students[2], season, "first_loan", monday, "morning")
    assert status == 409 and "full" in message
    with app.test_request_context():
        appointments.cancel_booking(first)
    assert book(app, students[2], season, "first_loan", monday, "morning").status == "booked"


def test_the_booking_pages_confirmation_and_calendar_file(client, auth, season, student, monday):
    auth.login(student.id_number, PASSWORD)
    page = client.get("/me/booking?service=first_loan").get_data(as_text=True)
    assert "30" in page and monday.isoformat() in page
    response = client.post(
        "/me/booking",
        data={
            "service": "first_loan",
            "slot": f"{monday}|morning",
            "csrf_token": csrf_token(client, "/me/booking"),
        },
    )
    assert response.status_code == 302
    code = Appointment.get().code
    confirmation = client.get(f"/me/booking/{code}").get_data(as_text=True)
    assert code in confirmation and "户口本" in confirmation and "上午" in confirmation
    ics = client.get(f"/me/booking/{code}.ics")
    assert ics.mimetype == "text/calendar" and b"BEGIN:VEVENT" in ics.data
    assert monday.strftime("%Y%m%d").encode() in ics.data
    again = client.post(
        "/me/booking",
        data={
            "service": "first_loan",
            "slot": f"{monday}|afternoon",
            "csrf_token": csrf_token(client, "/me/booking"),
        },
    )
    assert again.status_code == 409
    cancel = client.post(f"/me/booking/{code}/cancel", data={"csrf_token": csrf_token(client, "/")})
    assert cancel.status_code == 302 and Appointment.get().status == "cancelled"


def test_bad_booking_form_input_is_a_4xx(client, auth, season, student):
    auth.login(student.id_number, PASSWORD)
    for slot in ("", "nonsense", "2099-13-40|morning", f"{date.today()}|morning"):
        response = client.post(
            "/me/booking",
            data={"service": "first_loan", "slot": slot, "csrf_token": csrf_token(client, "/me/booking")},
        )
        assert 400 <= response.status_code < 500, slot
    assert Appointment.select().count() == 0


def test_another_students_booking_is_not_found(client, auth, app, season, student, monday):
    other = applicant(season, "别人")
    theirs = book(app, other, season, "first_loan", monday, "morning")
    auth.login(student.id_number, PASSWORD)
    assert client.get(f"/me/booking/{theirs.code}").status_code == 404
    assert client.get(f"/me/booking/{theirs.code}.ics").status_code == 404
    cancel = client.post(f"/me/booking/{theirs.code}/cancel", data={"csrf_token": csrf_token(client, "/")})
    assert cancel.status_code == 404 and Appointment.get_by_id(theirs.id).status == "booked"


def test_the_json_api(client, auth, season, student, monday):
    auth.login(student.id_number, PASSWORD)
    created = client.post(
        "/api/bookings", json={"service": "first_loan", "day": str(monday), "half_day": "afternoon"}
    )
    assert created.status_code == 201 and created.get_json()["half_day"] == "afternoon"
    second = client.post(
        "/api/bookings", json={"service": "first_loan", "day": str(monday), "half_day": "morning"}
    )
    assert second.status_code == 409 and second.get_json()["error"] == "already_booked"
    bad = client.post("/api/bookings", json={"service": "first_loan", "day": "someday"})
    assert bad.status_code == 422


def test_no_overbooking_under_concurrency(live_server, season, monday):
    """110 students press "book" at the same moment for a half-day with 30 places."""
    students = [applicant(season, f"并发{n:03d}") for n in range(110)]
    openers = [signed_in_opener(live_server.url, s.id_number) for s in students]
    start = threading.Barrier(len(openers))
    answers = []
    body = json.dumps({"service": "first_loan", "day": str(monday), "half_day": "morning"}).encode()

    def attempt(opener):
        request = urllib.request.Request(
            live_server.url + "/api/bookings", data=body, headers={"Content-Type": "application/json"}
        )
        start.wait()
        try:
            with opener.open(request, timeout=60) as response:
                answers.append((response.status, json.load(response)))
        except urllib.error.HTTPError as error:
            answers.append((error.code, json.load(error)))

    threads = [threading.Thread(target=attempt, args=(opener,)) for opener in openers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(90)
    statuses = sorted(status for status, _ in answers)
    assert statuses.count(201) == 30
    assert statuses.count(409) == 80
    assert {answer["error"] for status, answer in answers if status == 409} == {"full"}
    assert Appointment.select().where(Appointment.status == "booked").count() == 30
