"""The desk: today's list, check-in, walk-ins, the green channel, calling at the windows, and
the waiting-room screen's state; every action in the audit log."""

import json
import threading
import urllib.error
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest

from tests.factories import (
    PASSWORD,
    make_application,
    make_appointment,
    make_centre,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from tests.http_helpers import csrf_token, page_token, signed_in_opener
from tests.queue_helpers import QUEUES
from webapp.clock import local_today
from webapp.models import Application, Appointment, AuditEvent, DutyAssignment, Student, Ticket
from webapp.services.desk import screen_events


@pytest.fixture
def hall(app):
    """Today's bookings: three first loans and one renewal, and a desk clerk signed in."""
    centre = make_centre()
    season = make_season(centre)
    with app.app_context():
        today = local_today()
    students = [make_student(centre, name=name) for name in ("赵一", "钱二", "孙三", "李四")]
    appointments = [
        make_appointment(
            s,
            season,
            today,
            service=service,
            code=f"CODE{n}",
            application=make_application(s, season, status="submitted"),
        )
        for n, (s, service) in enumerate(zip(students, ["first_loan"] * 3 + ["renewal"], strict=True))
    ]
    return {
        "centre": centre,
        "season": season,
        "today": today,
        "students": students,
        "appointments": appointments,
        "desk": make_user(centre, role="desk", name="周窗口"),
    }


@pytest.fixture
def desk(client, auth, hall):
    auth.login(hall["desk"].username, PASSWORD)
    client.set_cookie("lang", "en")
    return client


def post(client, path, page="/desk/", **data):
    data["csrf_token"] = csrf_token(client, page)
    return client.post(path, data=data)


def check_in_all(desk, hall):
    for appointment in hall["appointments"]:
        assert post(desk, f"/desk/appointments/{appointment.id}/check-in").status_code == 302


def sit(desk, window, service="first_loan"):
    assert (
        post(desk, "/desk/window", page="/desk/window", window=str(window), service=service).status_code
        == 302
    )


def call_next(desk):
    return post(desk, "/desk/window/next", page="/desk/window")


def test_today_lists_the_bookings_and_finds_them(desk, hall):
    page = desk.get("/desk/").get_data(as_text=True)
    assert all(s.name in page for s in hall["students"]) and "Booked" in page
    last_digits = hall["students"][1].id_number[-4:]
    found = desk.get(f"/desk/?q={last_digits}").get_data(as_text=True)
    assert "钱二" in found and "赵一" not in found
    assert "孙三" in desk.get("/desk/?q=code2").get_data(as_text=True)
    assert "Nobody today matches" in desk.get("/desk/?q=王五").get_data(as_text=True)


def test_check_in_at_the_desk_issues_tickets_per_stream(desk, hall):
    check_in_all(desk, hall)
    labels = [Ticket.get(Ticket.appointment == a).label for a in hall["appointments"]]
    assert labels == ["A001", "A002", "A003", "B001"]
    assert post(desk, f"/desk/appointments/{hall['appointments'][0].id}/check-in").status_code == 302
    assert Ticket.select().count() == 4  # a second check-in gives the same ticket
    assert AuditEvent.select().where(AuditEvent.action == "ticket.issued").count() == 4
    assert "Checked in, waiting" in desk.get("/desk/").get_data(as_text=True)


def test_another_centres_booking_cannot_be_checked_in(desk, hall):
    elsewhere = make_centre(name="平鲁区学生资助管理中心", region_code="140603")
    other = make_appointment(make_student(elsewhere, name="外中心"), make_season(elsewhere), hall["today"])
    assert post(desk, f"/desk/appointments/{other.id}/check-in").status_code == 404


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"id_number": "140623200803141313"}, "last character"),
        ({"name": " "}, "Enter the name"),
        ({"service": "party"}, "service from the list"),
    ],
)
def test_walk_in_rules(desk, fields, message):
    data = {"name": "吴现场", "id_number": valid_id_number(), "service": "first_loan", **fields}
    response = post(desk, "/desk/walk-ins", **data)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert Ticket.select().count() == 0


def test_a_walk_in_waits_until_admitted_then_joins_the_line(desk, hall):
    check_in_all(desk, hall)
    assert (
        post(
            desk, "/desk/walk-ins", name="吴现场", id_number=valid_id_number(), service="first_loan"
        ).status_code
        == 302
    )
    walk_in = Ticket.get(Ticket.walk_in == True)  # noqa: E712
    assert (walk_in.label, walk_in.status) == ("W001", "held")
    sit(desk, 1)
    for expected in ("A001", "A002", "A003"):
        call_next(desk)
        called = Ticket.get(Ticket.status == "called")
        assert called.label == expected
        post(desk, f"/desk/tickets/{called.id}/finish", page="/desk/window")
    call_next(desk)
    assert Ticket.select().where(Ticket.status == "called").count() == 0  # held tickets wait
    assert post(desk, f"/desk/tickets/{walk_in.id}/admit").status_code == 302
    call_next(desk)
    assert Ticket.get_by_id(walk_in.id).status == "called"


def test_the_green_channel_needs_a_reason_and_goes_first(desk, hall):
    check_in_all(desk, hall)
    last = Ticket.get((Ticket.stream == "A") & (Ticket.number == 3))
    refused = post(desk, f"/desk/tickets/{last.id}/green-channel", reason=" ")
    assert refused.status_code == 422 and "reason for the green channel" in refused.get_data(as_text=True)
    assert post(desk, f"/desk/tickets/{last.id}/green-channel", reason="孕妇，身体不适").status_code == 302
    sit(desk, 2)
    call_next(desk)
    assert Ticket.get(Ticket.status == "called").label == "A003"
    event = AuditEvent.get(AuditEvent.action == "ticket.green_channel")
    assert json.loads(event.details)["reason"] == "孕妇，身体不适"


def test_the_desk_finds_any_student_of_its_centre_and_only_of_its_centre(desk, hall):
    centre = hall["centre"]
    absent = make_student(centre, name="吴缺席", mobile="13700000001")
    make_appointment(absent, hall["season"], hall["today"] + timedelta(days=3), code="LATER1")
    other = make_student(make_centre(name="平鲁区学生资助管理中心", region_code="140603"), name="吴外地")
    for query in ("吴", absent.id_number, absent.id_number[-4:], "13700000001", "LATER1"):
        page = desk.get("/desk/", query_string={"q": query}).get_data(as_text=True)
        assert "吴缺席" in page, query
        assert "吴外地" not in page and other.id_number[-4:] not in page
    page = desk.get("/desk/", query_string={"q": "吴缺席"}).get_data(as_text=True)
    assert "Start an application at the desk" in page and "Give a walk-in ticket" in page
    assert post(desk, f"/desk/students/{absent.id}/walk-in?q=吴缺席", service="first_loan").status_code == 302
    ticket = Ticket.get(Ticket.student == absent)
    assert ticket.walk_in and ticket.visitor_name == "吴缺席"
    # pressed again (or at the next desk): still one ticket, and the page names it
    again = post(desk, f"/desk/students/{absent.id}/walk-in", service="first_loan")
    assert again.status_code == 302 and Ticket.select().where(Ticket.student == absent).count() == 1
    assert post(desk, f"/desk/students/{other.id}/walk-in", service="first_loan").status_code == 404


def test_the_device_remembers_the_window_and_service_across_sign_ins(desk, auth, hall):
    assert "Choose your window" in desk.get("/desk/window").get_data(as_text=True)
    sit(desk, 7, "renewal")
    auth.logout()
    auth.login(hall["desk"].username, PASSWORD)
    page = desk.get("/desk/window").get_data(as_text=True)
    assert "Window 7" in page and "Renewal" in page
    desk.set_cookie("desk_seat", "99:renewal")  # nothing but a window of the list is taken
    auth.logout()
    auth.login(hall["desk"].username, PASSWORD)
    assert "Choose your window" in desk.get("/desk/window").get_data(as_text=True)


def test_a_window_calls_recalls_skips_and_requeues_once(desk, hall):
    check_in_all(desk, hall)
    sit(desk, 3)
    call_next(desk)
    first = Ticket.get(Ticket.status == "called")
    assert (first.label, first.window, first.wait_minutes) == ("A001", 3, 0)
    busy = call_next(desk)
    assert busy.status_code == 409 and "Finish or skip A001" in busy.get_data(as_text=True)
    called_at = first.called_at
    post(desk, f"/desk/tickets/{first.id}/recall", page="/desk/window")
    assert Ticket.get_by_id(first.id).called_at > called_at
    post(desk, f"/desk/tickets/{first.id}/skip", page="/desk/window")
    assert Ticket.get_by_id(first.id).status == "skipped"
    assert Appointment.get_by_id(hall["appointments"][0].id).status == "no_show"
    assert post(desk, f"/desk/tickets/{first.id}/requeue", page="/desk/window").status_code == 302
    assert Ticket.get_by_id(first.id).status == "waiting"
    call_next(desk)  # A002 comes before the re-queued A001
    assert Ticket.get(Ticket.status == "called").label == "A002"
    second = Ticket.get(Ticket.status == "called")
    post(desk, f"/desk/tickets/{second.id}/finish", page="/desk/window")
    call_next(desk)
    assert Ticket.get(Ticket.status == "called").label == "A003"
    third = Ticket.get(Ticket.status == "called")
    post(desk, f"/desk/tickets/{third.id}/finish", page="/desk/window")
    call_next(desk)
    assert Ticket.get(Ticket.status == "called").label == "A001"
    post(desk, f"/desk/tickets/{first.id}/skip", page="/desk/window")
    again = post(desk, f"/desk/tickets/{first.id}/requeue", page="/desk/window")
    assert again.status_code == 409 and "already put back once" in again.get_data(as_text=True)
    actions = {e.action for e in AuditEvent.select()}
    assert {
        "ticket.called",
        "ticket.recalled",
        "ticket.skipped",
        "ticket.requeued",
        "ticket.finished",
    } <= actions


def test_the_screen_state_shows_calls_next_numbers_and_the_duty_leader(desk, hall):
    leader = make_user(hall["centre"], role="leader", name="钱主任")
    DutyAssignment.create(centre=hall["centre"], day=hall["today"], user=leader)
    check_in_all(desk, hall)
    sit(desk, 2)
    call_next(desk)
    state = desk.get("/desk/screen/state.json").get_json()
    assert [(c["ticket"], c["window"]) for c in state["calls"]] == [("A001", 2)]
    assert state["next"] == {"first_loan": ["A002", "A003"], "renewal": ["B001"], "contract_change": []}
    assert state["duty_leader"] == "钱主任"
    post(desk, "/desk/walk-ins", name="变更合同", id_number=valid_id_number(), service="contract_change")
    change = Ticket.get(Ticket.service == "contract_change")
    post(desk, f"/desk/tickets/{change.id}/admit")
    state = desk.get("/desk/screen/state.json").get_json()
    assert state["next"]["contract_change"] == ["W001"]
    screen = desk.get("/desk/screen").get_data(as_text=True)
    assert 'id="next-contract_change"' in screen and 'id="no-voice"' in screen
    assert "钱主任" in desk.get("/desk/").get_data(as_text=True)


@pytest.mark.parametrize(
    "role, status", [("student", 403), ("outreach", 403), ("admin", 403), ("leader", 200), ("desk", 200)]
)
def test_desk_pages_are_for_desk_staff_and_leaders(client, auth, hall, role, status):
    if role == "student":
        auth.login(hall["students"][0].id_number, PASSWORD)
    else:
        auth.login(make_user(hall["centre"], role=role).username, PASSWORD)
    for path in ("/desk/", "/desk/window", f"/desk/applications/{hall['appointments'][0].application_id}"):
        assert client.get(path).status_code == status, path


def test_two_windows_pressing_next_together_never_get_the_same_ticket(live_server, hall):
    """Twenty windows press "next" at the same moment, twice; forty tickets wait."""
    centre, season, today = hall["centre"], hall["season"], hall["today"]
    for n in range(40):
        student = make_student(centre, name=f"排队{n:02d}")
        appointment = make_appointment(student, season, today)
        Ticket.create(
            centre=centre,
            day=today,
            stream="A",
            number=n + 1,
            service="first_loan",
            appointment=appointment,
            student=student,
            status="waiting",
            queued_at=appointment.created_at,
        )
    base = live_server.url
    windows = []
    for window in range(1, 21):
        clerk = make_user(centre, role="desk")
        opener = signed_in_opener(base, clerk.username)
        token = page_token(opener, base + "/desk/window")
        opener.open(
            base + "/desk/window",
            data=urlencode({"csrf_token": token, "window": window, "service": "first_loan"}).encode(),
        )
        windows.append((opener, token))

    def press_next(opener, token, barrier, errors):
        barrier.wait()
        try:
            opener.open(
                base + "/desk/window/next", data=urlencode({"csrf_token": token}).encode(), timeout=60
            )
        except urllib.error.HTTPError as error:
            errors.append(error.code)

    for _round in range(2):
        barrier, errors = threading.Barrier(len(windows)), []
        threads = [threading.Thread(target=press_next, args=(o, t, barrier, errors)) for o, t in windows]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(90)
        assert errors == []
        Ticket.update(status="done").where(Ticket.status == "called").execute()
    called = list(Ticket.select().where(Ticket.called_at.is_null(False)))
    assert len(called) == 40 and Ticket.select().where(Ticket.status == "waiting").count() == 0
    calls = [
        json.loads(e.details)["label"]
        for e in AuditEvent.select().where(AuditEvent.action == "ticket.called")
    ]
    assert len(calls) == len(set(calls)) == 40


# The waiting-room screen's pushed calls: a stream starts with the screen's state, carries each
# call as it is made, and ends by itself; with Redis a call wakes the streams at once instead of
# at their next look.


def events(response):
    """The stream's `state` events, parsed, as they arrive."""
    buffer = ""
    for chunk in response.response:
        buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
        while "\n\n" in buffer:
            block, buffer = buffer.split("\n\n", 1)
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if fields.get("event") == "state":
                yield json.loads(fields["data"])


@pytest.fixture(params=QUEUES)
def wakes(app, request, monkeypatch):
    """Streams that look at the database four times a second, or that wait on Redis. With
    Redis the unprompted look comes after the stream's end, so only an announcement wakes it."""
    app.config["SCREEN_STREAM_SECONDS"] = 2
    if request.param == "redis":
        app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", TASK_QUEUE_NAME=f"test-{uuid.uuid4().hex}")
        monkeypatch.setattr(screen_events, "REDIS_LOOK_SECONDS", 3.0)
    return request.param


def test_a_stream_carries_the_state_then_each_call_and_ends(desk, hall, wakes):
    check_in_all(desk, hall)
    sit(desk, 2)
    response = desk.get("/desk/screen/events", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "text/event-stream"
    assert response.headers["X-Accel-Buffering"] == "no"
    assert response.headers["Cache-Control"] == "no-store"
    stream = events(response)
    first = next(stream)
    assert first["calls"] == [] and first["next"]["first_loan"] == ["A001", "A002", "A003"]

    call_next(desk)
    second = next(stream)
    assert [(c["ticket"], c["window"]) for c in second["calls"]] == [("A001", 2)]
    assert second["next"]["first_loan"] == ["A002", "A003"]
    assert list(stream) == []  # nothing else changed, and the stream ended on time
    response.close()


def test_the_stream_tells_the_browser_to_reconnect_quickly(desk, hall, app):
    app.config["SCREEN_STREAM_SECONDS"] = 0
    body = desk.get("/desk/screen/events").get_data(as_text=True)
    assert body == f"retry: {screen_events.RECONNECT_MS}\n\n"


@pytest.mark.parametrize("role, status", [("outreach", 403), ("admin", 200), ("leader", 200)])
def test_the_stream_is_for_staff_who_may_see_the_screen(client, auth, hall, app, role, status):
    app.config["SCREEN_STREAM_SECONDS"] = 0
    auth.login(make_user(hall["centre"], role=role).username, PASSWORD)
    assert client.get("/desk/screen/events").status_code == status


def test_the_screen_page_knows_both_ways(desk):
    page = desk.get("/desk/screen").get_data(as_text=True)
    assert 'data-events="/desk/screen/events"' in page and 'data-url="/desk/screen/state.json"' in page


def test_a_walk_in_the_centre_never_met_gets_a_record_and_an_application_at_the_window(desk, hall):
    """No account, no pre-registration: the window makes the record from the ID card in hand."""
    number = valid_id_number()
    post(desk, "/desk/walk-ins", name="吴现场", id_number=number, service="first_loan")
    walk_in = Ticket.get(Ticket.walk_in == True)  # noqa: E712
    post(desk, f"/desk/tickets/{walk_in.id}/admit")
    sit(desk, 1)
    call_next(desk)
    window = desk.get("/desk/window").get_data(as_text=True)
    assert "New to the centre" in window and number in window
    bad = post(desk, f"/desk/tickets/{walk_in.id}/student", page="/desk/window", name="吴现场",
               id_number=number[:-1] + "0" if number[-1] != "0" else number[:-1] + "1", mobile="")  # fmt: skip
    assert bad.status_code == 422 and not Student.select().where(Student.name == "吴现场").exists()
    assert "does not match" in bad.get_data(as_text=True)  # said on the window page
    made = post(desk, f"/desk/tickets/{walk_in.id}/student", page="/desk/window", name="吴现场",
                id_number=number, mobile="139 1234 5678")  # fmt: skip
    student = Student.get(Student.name == "吴现场")
    application = Application.get(Application.student == student)
    assert made.headers["Location"].endswith(f"/desk/applications/{application.id}")
    assert (student.centre_id, student.mobile, application.status) == (
        hall["centre"].id,
        "13912345678",
        "draft",
    )
    assert Ticket.get_by_id(walk_in.id).student_id == student.id
    assert AuditEvent.select().where(AuditEvent.action == "student.created_at_desk").exists()
    again = post(desk, f"/desk/tickets/{walk_in.id}/student", page="/desk/window", name="吴现场",
                 id_number=number, mobile="")  # fmt: skip
    assert again.status_code == 302 and Student.select().where(Student.name == "吴现场").count() == 1
    empty = post(
        desk, f"/desk/tickets/{walk_in.id}/student", page="/desk/window", name="", id_number="x" * 300
    )
    assert empty.status_code == 422
