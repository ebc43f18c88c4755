"""Check-in by the entrance code, tickets in two streams, and the queue position."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest

from tests.factories import PASSWORD, make_centre, make_season, make_student, make_user
from tests.http_helpers import page_token, signed_in_opener
from webapp.clock import local_today
from webapp.models import Appointment, Ticket
from webapp.services.desk.tickets import entrance_token


@pytest.fixture
def today_bookings(app):
    centre = make_centre()
    season = make_season(centre)
    students = {}
    for name, service in (("甲", "first_loan"), ("乙", "first_loan"), ("丙", "renewal")):
        student = make_student(centre, name=name)
        with app.app_context():
            day = local_today()
        Appointment.create(
            centre=centre,
            season=season,
            student=student,
            service=service,
            day=day,
            half_day="morning",
            code=f"Q{name.encode().hex()[:5]}",
        )
        students[name] = student
    return centre, students


def token_for(app, centre):
    with app.app_context():
        return entrance_token(centre, local_today())


def test_check_in_issues_numbered_tickets_per_stream(app, client, auth, today_bookings):
    centre, students = today_bookings
    token = token_for(app, centre)
    labels = {}
    for name in ("甲", "乙", "丙"):
        auth.login(students[name].id_number, PASSWORD)
        assert client.get(f"/me/check-in?token={token}").status_code == 302
        labels[name] = client.get("/me/ticket.json").get_json()["ticket"]
        auth.logout()
    assert labels == {"甲": "A001", "乙": "A002", "丙": "B001"}
    auth.login(students["乙"].id_number, PASSWORD)
    client.get(f"/me/check-in?token={token}")  # scanning again keeps the same ticket
    state = client.get("/me/ticket.json").get_json()
    assert state == {"ticket": "A002", "status": "waiting", "ahead": 1, "calling": None, "window": None}
    assert Ticket.select().count() == 3
    assert "A002" in client.get("/me/ticket").get_data(as_text=True)


def test_queue_position_follows_calls(app, client, auth, today_bookings):
    centre, students = today_bookings
    token = token_for(app, centre)
    for name in ("甲", "乙"):
        auth.login(students[name].id_number, PASSWORD)
        client.get(f"/me/check-in?token={token}")
        auth.logout()
    first = Ticket.get(Ticket.number == 1)
    first.status, first.window = "called", 2
    first.called_at = first.issued_at
    first.save()
    auth.login(students["乙"].id_number, PASSWORD)
    assert client.get("/me/ticket.json").get_json() == {
        "ticket": "A002",
        "status": "waiting",
        "ahead": 0,
        "calling": "A001",
        "window": None,
    }


def test_wrong_code_or_no_booking_is_refused(app, client, auth, today_bookings):
    centre, students = today_bookings
    auth.login(students["甲"].id_number, PASSWORD)
    assert client.get("/me/check-in?token=guess").status_code == 403
    assert client.get("/me/ticket.json").status_code == 404
    auth.logout()
    stranger = make_student(centre, name="丁")
    auth.login(stranger.id_number, PASSWORD)
    assert client.get(f"/me/check-in?token={token_for(app, centre)}").status_code == 404
    assert Ticket.select().count() == 0


def test_an_expired_or_foreign_code_says_so(app, client, auth, today_bookings):
    centre, students = today_bookings
    auth.login(students["甲"].id_number, PASSWORD)
    client.set_cookie("lang", "en")
    with app.app_context():
        yesterday = entrance_token(centre, local_today() - timedelta(days=1))
    expired = client.get(f"/me/check-in?token={yesterday}")
    assert expired.status_code == 403 and "from an earlier day" in expired.get_data(as_text=True)
    other = make_centre(name="平鲁区学生资助管理中心", region_code="140603")
    foreign = client.get(f"/me/check-in?token={token_for(app, other)}")
    assert foreign.status_code == 403 and "not today's check-in code of your centre" in foreign.get_data(
        as_text=True
    )
    assert "no booking" not in foreign.get_data(as_text=True)


def test_a_finished_visit_says_finished(app, client, auth, today_bookings):
    centre, students = today_bookings
    auth.login(students["甲"].id_number, PASSWORD)
    client.set_cookie("lang", "en")
    client.get(f"/me/check-in?token={token_for(app, centre)}")
    Ticket.update(status="done").execute()
    page = client.get("/me/ticket").get_data(as_text=True)
    assert "Finished" in page and "Now calling" not in page and "ticket.js" not in page
    Ticket.update(status="skipped").execute()
    assert "not there when your number was called" in client.get("/me/ticket").get_data(as_text=True)


def test_a_student_sees_only_their_own_ticket(app, client, auth, today_bookings):
    centre, students = today_bookings
    token = token_for(app, centre)
    auth.login(students["甲"].id_number, PASSWORD)
    client.get(f"/me/check-in?token={token}")
    auth.logout()
    auth.login(students["乙"].id_number, PASSWORD)
    assert client.get("/me/ticket.json").status_code == 404
    assert "A001" not in client.get("/me/ticket").get_data(as_text=True)


def test_entrance_code_page_for_the_desk(app, client, auth, today_bookings):
    centre, _students = today_bookings
    make_user(centre, role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    page = client.get("/staff/entrance")
    assert page.status_code == 200 and "data:image/svg+xml" in page.get_data(as_text=True)


def test_twenty_check_ins_of_one_booking_make_one_ticket(app, live_server, today_bookings):
    """The student scanning the entrance code twice and the desk pressing "check in" at once:
    ten of each, released together, over real HTTP."""
    centre, students = today_bookings
    student = students["甲"]
    appointment = Appointment.get(Appointment.student == student)
    make_user(centre, role="desk", username="window1")
    token = token_for(app, centre)
    desks = [signed_in_opener(live_server.url, "window1") for _ in range(10)]
    phones = [signed_in_opener(live_server.url, student.id_number) for _ in range(10)]
    desk_tokens = [page_token(opener, live_server.url + "/desk/") for opener in desks]
    start = threading.Barrier(20)
    statuses = []

    def desk_check_in(opener, csrf):
        body = urllib.parse.urlencode({"csrf_token": csrf}).encode()
        start.wait()
        statuses.append(
            _status(opener, f"{live_server.url}/desk/appointments/{appointment.id}/check-in", body)
        )

    def phone_check_in(opener):
        start.wait()
        statuses.append(_status(opener, f"{live_server.url}/me/check-in?token={token}"))

    threads = [
        threading.Thread(target=desk_check_in, args=pair) for pair in zip(desks, desk_tokens, strict=True)
    ]
    threads += [threading.Thread(target=phone_check_in, args=(opener,)) for opener in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(statuses) == 20 and all(status < 500 for status in statuses), statuses
    assert Ticket.select().where(Ticket.appointment == appointment).count() == 1
    assert Ticket.select().where(Ticket.student == student).count() == 1


def _status(opener, url, body=None):
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
