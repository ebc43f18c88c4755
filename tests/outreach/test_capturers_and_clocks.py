"""Records are stored under the person who captured them, whoever's session sends them, and what
a device's clock said is kept and flagged, never corrected."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.factories import PASSWORD, make_centre, make_school, make_user
from tests.http_helpers import csrf_token
from tests.outreach_helpers import prereg, visit
from webapp.clock import local_today
from webapp.models import CaptureDevice, PreRegistration, SchoolVisit


@pytest.fixture
def shared_phone(app):
    """One centre, two outreach workers, a worker of another centre, and a school."""
    centre = make_centre()
    school = make_school(centre)
    sun = make_user(centre, role="outreach", username="sun")
    li = make_user(centre, role="outreach", username="liwei")
    other = make_user(
        make_centre(name="平鲁区学生资助管理中心", region_code="140603"), role="outreach", username="zhao"
    )
    return school, sun, li, other


def send(client, *records, device="phone-1", **envelope):
    response = client.post("/api/sync", json={"device_id": device, "records": list(records), **envelope})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def ping(client, device):
    response = client.get(f"/api/ping?device={device}")
    assert response.status_code == 200
    return response.get_json()


def iso(moment):
    return moment.replace(tzinfo=timezone.utc).isoformat()


def test_ping_names_the_signed_in_user_gives_a_token_and_notes_the_device(client, auth, shared_phone):
    auth.login("sun", PASSWORD)
    answer = ping(client, "phone-1")
    assert answer["user"] == "sun" and answer["name"] and len(answer["csrf_token"]) > 20
    assert [(d.user.username, d.device_id) for d in CaptureDevice.select()] == [("sun", "phone-1")]
    ping(client, "phone-1")
    assert CaptureDevice.select().count() == 1


def test_a_ping_writes_nothing_once_the_device_is_known(client, auth, shared_phone, monkeypatch):
    """Every device of a province pings a recovering server: those pings must not write."""
    from webapp.db import database

    auth.login("sun", PASSWORD)
    ping(client, "phone-1")
    real = database.obj.execute_sql
    writes = []

    def watched(sql, *args, **kwargs):
        if sql.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            writes.append(sql)
        return real(sql, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", watched)
    for _ in range(20):
        ping(client, "phone-1")
    monkeypatch.undo()
    assert writes == []
    ping(client, "phone-2")  # a new device is still noted
    assert {d.device_id for d in CaptureDevice.select()} == {"phone-1", "phone-2"}


def test_a_record_is_stored_under_its_capturer_from_a_device_the_capturer_used(client, auth, shared_phone):
    school, sun, li, _ = shared_phone
    auth.login("sun", PASSWORD)
    ping(client, "phone-1")
    auth.logout()
    auth.login("liwei", PASSWORD)
    mine, suns = prereg(school, captured_by="liwei"), prereg(school)
    suns["captured_by"] = "sun"
    mine["captured_by"] = "liwei"
    assert [r["status"] for r in send(client, mine, suns)] == ["accepted", "accepted"]
    row = PreRegistration.get(PreRegistration.uuid == suns["uuid"])
    assert (row.captured_by_id, row.sent_by_id) == (sun.id, li.id)
    own = PreRegistration.get(PreRegistration.uuid == mine["uuid"])
    assert (own.captured_by_id, own.sent_by_id) == (li.id, None)


def test_a_record_of_someone_who_never_used_the_device_is_held_not_reattributed(client, auth, shared_phone):
    school, sun, li, other = shared_phone
    auth.login("sun", PASSWORD)
    ping(client, "phone-1")
    auth.logout()
    auth.login("liwei", PASSWORD)
    elsewhere, stranger, unknown = prereg(school), visit(school), prereg(school)
    elsewhere["captured_by"] = "sun"  # sun worked on phone-1, not on phone-2
    stranger["captured_by"] = "zhao"  # another centre's worker
    unknown["captured_by"] = "nobody"
    results = send(client, elsewhere, stranger, unknown, device="phone-2")
    assert [r["status"] for r in results] == ["held", "held", "held"]
    assert PreRegistration.select().count() == 0 and SchoolVisit.select().count() == 0


def test_an_imported_file_is_stored_under_its_owner_and_sent_by_the_importer(client, auth, shared_phone):
    school, sun, li, _ = shared_phone
    admin = make_user(sun.centre, role="admin", username="boss")
    auth.login("boss", PASSWORD)
    payload = {
        "format": "studentloan-outbox",
        "owner": "sun",
        "device_id": "lost",
        "records": [prereg(school)],
    }
    token = csrf_token(client, "/outreach/import")
    response = client.post("/outreach/import/batch", json=payload, headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert [r["status"] for r in response.get_json()["results"]] == ["accepted"]
    row = PreRegistration.get()
    assert (row.captured_by_id, row.sent_by_id) == (sun.id, admin.id)


def test_the_device_clock_is_stored_and_odd_times_are_flagged(client, auth, shared_phone):
    school, *_ = shared_phone
    auth.login("sun", PASSWORD)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    honest, ahead = prereg(school), prereg(school)
    honest["captured_at"] = iso(now - timedelta(hours=3))
    ahead["captured_at"] = iso(now + timedelta(hours=2))  # later than it arrives
    send(client, honest, ahead, device_time=iso(now + timedelta(seconds=40)))
    honest_row = PreRegistration.get(PreRegistration.uuid == honest["uuid"])
    ahead_row = PreRegistration.get(PreRegistration.uuid == ahead["uuid"])
    assert 30 <= honest_row.clock_skew <= 50 and honest_row.clock_flag == ""
    assert ahead_row.clock_flag == "after_arrival"
    assert ahead_row.captured_at == now + timedelta(hours=2)  # as the device said: nothing corrected

    five_days = prereg(school)
    five_days["captured_at"] = iso(now + timedelta(days=5))
    send(client, five_days, device_time=iso(now + timedelta(days=5)))
    row = PreRegistration.get(PreRegistration.uuid == five_days["uuid"])
    assert row.clock_flag == "day_off" and abs(row.clock_skew - 5 * 86400) < 60

    no_clock = prereg(school)
    send(client, no_clock)
    row = PreRegistration.get(PreRegistration.uuid == no_clock["uuid"])
    assert row.clock_skew is None and row.clock_flag == ""


def test_a_visit_dated_on_the_devices_today_is_taken_when_its_clock_is_just_past_midnight(
    app, client, auth, shared_phone
):
    school, *_ = shared_phone
    with app.app_context():
        today = local_today()
    auth.login("sun", PASSWORD)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    tomorrow = (today + timedelta(days=1)).isoformat()
    # The server's today only: a date after it is refused.
    [refused] = send(client, visit(school, visited_on=tomorrow))
    assert refused["status"] == "invalid" and "visited_on" in refused["errors"]
    # A device whose clock already shows tomorrow (a few hours ahead) may date the visit so.
    skew = timedelta(hours=23, minutes=59)
    [taken] = send(client, visit(school, visited_on=tomorrow), device_time=iso(now + skew))
    assert taken["status"] == "accepted"
    # A clock five days ahead counts for nothing.
    later = (today + timedelta(days=5)).isoformat()
    [refused] = send(client, visit(school, visited_on=later), device_time=iso(now + timedelta(days=5)))
    assert refused["status"] == "invalid"


def test_the_record_page_shows_both_times_the_skew_and_the_flag(client, auth, shared_phone):
    school, *_ = shared_phone
    auth.login("sun", PASSWORD)
    client.set_cookie("lang", "en")
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    record = prereg(school)
    record["captured_at"] = iso(now + timedelta(days=5))
    send(client, record, device_time=iso(now + timedelta(days=5)))
    row = PreRegistration.get()
    page = client.get(f"/outreach/pre-registrations/{row.id}").get_data(as_text=True)
    assert "Captured on the device" in page and "Received" in page
    assert "5 days ahead" in page
    assert "more than a day off" in page
