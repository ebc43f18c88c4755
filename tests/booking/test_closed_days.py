"""Closing a day with bookings: they move together to a half-day with room (never beyond its
places), or are cancelled for each student to choose again; every student gets a message."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import (
    PASSWORD,
    make_appointment,
    make_centre,
    make_season,
    make_student,
    make_user,
    next_weekday,
)
from tests.http_helpers import csrf_token
from tests.queue_helpers import work
from webapp import clock
from webapp.models import Appointment, ClosedDay, Message
from webapp.services.booking import quotas

YEAR = 2026


@pytest.fixture
def hall(app, client, auth, monkeypatch):
    """Thirty students booked on a Monday morning, an admin signed in, 10:00 local time."""
    monkeypatch.setattr(
        clock, "local_now", lambda: datetime(YEAR, 7, 1, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    )
    centre = make_centre()
    season = make_season(centre, year=YEAR)
    monday = next_weekday(season.acceptance_start + timedelta(days=7))
    for n in range(30):
        student = make_student(centre, name=f"学生{n}", mobile=f"138{n:08d}", with_account=False)
        make_appointment(student, season, monday, code=f"M{n:05d}")
    auth.login(make_user(centre, role="admin", username="admin1").username, PASSWORD)
    client.set_cookie("lang", "en")
    return {"season": season, "monday": monday, "path": f"/admin/seasons/{season.id}/closed-days"}


def close(client, hall, **fields):
    page = f"/admin/seasons/{hall['season'].id}"
    data = {
        "csrf_token": csrf_token(client, page),
        "day": hall["monday"].isoformat(),
        "reason": "停电",
        **fields,
    }
    return client.post(hall["path"], data=data)


def test_thirty_bookings_move_without_overbooking_and_are_told(client, hall, app):
    tuesday = hall["monday"] + timedelta(days=1)
    make_appointment(
        make_student(hall["season"].centre, name="已约"), hall["season"], tuesday, half_day="afternoon"
    )
    full = close(client, hall, move="move", move_to=tuesday.isoformat(), move_to_half_day="afternoon")
    assert full.status_code == 409
    assert "30 bookings must move, and that half-day has room for 29" in full.get_data(as_text=True)
    assert not ClosedDay.select().exists() and Message.select().count() == 0

    answer = close(client, hall, move="move", move_to=tuesday.isoformat(), move_to_half_day="morning")
    assert answer.status_code == 302
    moved = list(Appointment.select().where(Appointment.moved_from == hall["monday"]))
    assert len(moved) == 30 and {(a.day, a.half_day) for a in moved} == {(tuesday, "morning")}
    assert quotas.taken(hall["season"], "first_loan", tuesday, "morning") == 30  # its 30 places, no more
    work(app.extensions["huey"])
    told = Message.select().where(Message.template == "booking_moved")
    assert told.count() == 30 and {m.state for m in told} == {"logged"}
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        from webapp.services.messaging.messages import text_of

        assert hall["monday"].isoformat() in text_of(told.first()) and tuesday.isoformat() in text_of(
            told.first()
        )


def test_bookings_cancelled_for_each_student_to_choose(client, hall):
    answer = close(client, hall, move="choose")
    assert answer.status_code == 302
    assert Appointment.select().where(Appointment.status == "cancelled").count() == 30
    asked = Message.select().where(Message.template == "booking_choose")
    assert asked.count() == 30 and "/me/booking?service=first_loan" in asked.first().params


def test_a_day_with_bookings_needs_a_choice(client, hall):
    refused = close(client, hall, move="move")
    assert refused.status_code == 409 and "30 students are booked" in refused.get_data(as_text=True)
    same_day = close(
        client, hall, move="move", move_to=hall["monday"].isoformat(), move_to_half_day="afternoon"
    )
    assert same_day.status_code == 422 and "another day" in same_day.get_data(as_text=True)
    saturday = hall["monday"] + timedelta(days=5)
    weekend = close(client, hall, move="move", move_to=saturday.isoformat(), move_to_half_day="morning")
    assert weekend.status_code == 422 and "closed on that day" in weekend.get_data(as_text=True)
    assert not ClosedDay.select().exists()
