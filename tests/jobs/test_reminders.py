"""Reminders and notices through the real task queue (huey: a SQLite file per test, and Redis
when a server answers), with a frozen local clock: the day-before reminder from 18:00 and never
in quiet hours, once a day; students who turned reminders off; a provider's error retried with
a doubling delay and then marked failed; the staff's message log, resend and counts."""

import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import (
    PASSWORD,
    make_accepted,
    make_application,
    make_appointment,
    make_centre,
    make_co_borrower,
    make_season,
    make_student,
    make_user,
    next_weekday,
)
from tests.http_helpers import csrf_token
from tests.queue_helpers import QUEUES, work
from tests.sms_helpers import ALIYUN_LIMIT, ALIYUN_OK, point_providers_at
from webapp import clock, task_queue
from webapp.models import Application, Message, OwedMaterial, Student
from webapp.services.booking import appointments
from webapp.services.casework import renewals
from webapp.services.desk import calling
from webapp.services.desk import tickets as queue_service
from webapp.services.jobs import reminders
from webapp.services.jobs.periodic import run_reminders
from webapp.services.messaging import messages

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday a year ahead: huey holds a task until its time by the real clock, so the frozen local
# clock of these tests is in the future.
DAY = next_weekday(date.today() + timedelta(days=365))


@pytest.fixture(params=QUEUES)
def queue(app, request):
    """The app's task queue on the backend asked for, empty."""
    if request.param == "redis":
        app.config.update(REDIS_URL="redis://127.0.0.1:6379/0", TASK_QUEUE_NAME=f"test-{uuid.uuid4().hex}")
    task_queue.init_app(app)
    huey = app.extensions["huey"]
    yield huey
    huey.flush()


@pytest.fixture
def frozen(monkeypatch):
    """Set the centre's local time: frozen["now"] = datetime(...)."""
    state = {"now": datetime.combine(DAY - timedelta(days=1), datetime.min.time(), tzinfo=SHANGHAI)}
    monkeypatch.setattr(clock, "local_now", lambda: state["now"])
    return state


def at(frozen, hour, minute=0, day=DAY - timedelta(days=1)):
    frozen["now"] = datetime.combine(day, datetime.min.time(), tzinfo=SHANGHAI).replace(
        hour=hour, minute=minute
    )


def utc(moment):
    return moment.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


@pytest.fixture
def booked(app):
    centre = make_centre(address="右玉县新城镇政务大厅")
    season = make_season(centre, year=DAY.year)
    student = make_student(centre, name="欧阳娜", mobile="13800000011")
    make_appointment(student, season, DAY, code="K7Q2M9")
    return student


def test_the_day_before_reminder_goes_at_18_and_once(app, queue, frozen, booked):
    at(frozen, 17, 45)
    with app.app_context():
        run_reminders.call_local()
    assert Message.select().count() == 0

    at(frozen, 18, 0)
    queue.enqueue(run_reminders.s())
    work(queue)
    message = Message.get()
    assert (message.template, message.state, message.to_mobile) == ("day_before", "logged", "13800000011")
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert "右玉县新城镇政务大厅" in messages.text_of(message) and "K7Q2M9" in messages.text_of(message)

    at(frozen, 18, 15)
    queue.enqueue(run_reminders.s())
    work(queue)
    assert Message.select().count() == 1  # once a kind a day


def test_nothing_but_the_queue_goes_in_quiet_hours(app, queue, frozen, booked):
    at(frozen, 22, 30)  # the consumer was down at 18:00 and catches up late
    queue.enqueue(run_reminders.s())
    work(queue)
    held = Message.get()
    morning = datetime.combine(DAY, datetime.min.time(), tzinfo=SHANGHAI).replace(hour=8)
    assert held.state == "queued" and held.send_after == utc(morning)
    assert queue.scheduled_count() == 1
    work(queue, until=utc(morning) - timedelta(minutes=1))
    assert Message.get().state == "queued"
    work(queue, until=utc(morning))
    assert Message.get().state == "logged"


def test_a_student_who_turned_reminders_off_is_skipped_with_the_reason(app, queue, frozen, booked):
    booked.reminders_off = True
    booked.save()
    at(frozen, 19, 0)
    queue.enqueue(run_reminders.s())
    work(queue)
    message = Message.get()
    assert (message.state, message.skip_reason) == ("skipped", "reminders_off")
    assert queue.pending_count() == 0


def test_papers_due_and_overdue_and_a_missing_confirmation(app, queue, frozen):
    centre = make_centre()
    season = make_season(centre, year=DAY.year, confirmation_deadline=DAY + timedelta(days=7))
    clerk = make_user(centre, role="desk")
    owing = make_student(centre, name="王一")
    late = make_student(centre, name="李二")
    for student, due in ((owing, DAY + timedelta(days=3)), (late, DAY - timedelta(days=1))):
        loan = make_accepted(
            student, season, contract_number=f"HT{student.id:06d}", receipt_code=f"R{student.id}"
        )
        OwedMaterial.create(application=loan, material="co_borrower_id", due_on=due, recorded_by=clerk)
    at(frozen, 8, 30, day=DAY)
    with app.app_context():
        assert reminders.run() == 0  # the morning ones wait for 09:00
    at(frozen, 9, 0, day=DAY)
    queue.enqueue(run_reminders.s())
    work(queue)
    sent = {(m.student.name, m.template) for m in Message.select()}
    assert sent == {
        ("王一", "papers_due"),
        ("李二", "papers_overdue"),
        ("王一", "confirmation_missing"),
        ("李二", "confirmation_missing"),
    }


def test_a_provider_error_is_retried_with_a_doubling_delay_then_marked_failed(
    app, queue, frozen, booked, provider
):
    point_providers_at(app, "aliyun", provider["endpoint"])
    app.config.update(SMS_RETRIES=2, SMS_RETRY_BASE_SECONDS=60, SMS_TEMPLATES={"day_before": "SMS_1"})
    provider["answer"]["json"] = ALIYUN_LIMIT
    at(frozen, 18, 0)
    queue.enqueue(run_reminders.s())
    before_first_try = datetime.utcnow()
    work(queue)
    message = Message.get()
    assert (message.state, message.attempts) == ("queued", 1) and "BUSINESS_LIMIT_CONTROL" in message.error
    (retry,) = queue.scheduled()
    assert retry.eta - before_first_try >= timedelta(seconds=60)  # after the base delay
    work(queue, until=retry.eta - timedelta(seconds=1))
    assert Message.get().attempts == 1  # not before its time
    work(queue, until=retry.eta)
    assert Message.get().attempts == 2
    (second,) = queue.scheduled()
    assert second.eta - datetime.utcnow() > timedelta(seconds=110)  # the delay doubles: 120 s
    work(queue, until=second.eta)
    failed = Message.get()
    assert (failed.state, failed.attempts) == ("failed", 3) and "isv.BUSINESS_LIMIT_CONTROL" in failed.error
    assert queue.scheduled_count() == 0 and len(provider["received"]) == 3


def test_a_retry_that_succeeds_is_sent(app, queue, frozen, booked, provider):
    point_providers_at(app, "aliyun", provider["endpoint"])
    app.config.update(SMS_TEMPLATES={"day_before": "SMS_1"})
    provider["answer"]["json"] = ALIYUN_LIMIT
    at(frozen, 18, 0)
    queue.enqueue(run_reminders.s())
    work(queue)
    provider["answer"]["json"] = ALIYUN_OK
    (retry,) = queue.scheduled()
    work(queue, until=retry.eta)
    message = Message.get()
    assert (message.state, message.attempts, message.provider_id) == ("sent", 2, "900619746936498440^0")


def test_a_booking_made_and_cancelled_is_told_with_its_code_and_link(app, queue, frozen):
    at(frozen, 10, 0)
    centre = make_centre(address="右玉县新城镇政务大厅")
    season = make_season(centre, year=date.today().year + 1)
    student = make_student(centre, name="周同学", mobile="13800000031")
    make_application(student, season, status="submitted")
    with app.test_request_context():
        appointment = appointments.book_slot(
            student, season, "first_loan", next_weekday(season.acceptance_start), "morning"
        )
        appointments.cancel_booking(appointment, now=datetime(season.year, 1, 1))
    work(queue)
    made, cancelled = Message.select().order_by(Message.id)
    assert (made.template, cancelled.template) == ("booking_made", "booking_cancelled")
    assert made.state == cancelled.state == "logged"
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        words = messages.text_of(made)
    assert appointment.code in words and f"/me/booking/{appointment.code}" in words


def test_a_renewal_approval_reaches_the_student_and_the_co_borrower(app, queue, frozen):
    at(frozen, 10, 0)
    centre = make_centre()
    season = make_season(centre, year=date.today().year + 1)
    student = make_student(centre, name="杨帆", mobile="13800000021")
    make_co_borrower(student, mobile="13900000022")
    previous = make_season(centre, year=season.year - 1, is_current=False)
    make_accepted(student, previous, contract_number="HT0000001", receipt_code="R1")
    renewal = Application.create(
        centre=centre,
        season=season,
        student=student,
        kind="renewal",
        status="submitted",
        amount_requested=12000,
    )
    clerk = make_user(centre, role="desk")
    with app.test_request_context():
        renewals.approve(renewal, clerk, needs_window=True)
    work(queue)
    to = sorted((m.to_mobile, m.template, m.state) for m in Message.select())
    assert to == [("13800000021", "renewal_window", "logged"), ("13900000022", "renewal_window", "logged")]


def test_staff_resend_and_count_messages(app, client, auth, queue, frozen, booked):
    at(frozen, 18, 0)
    queue.enqueue(run_reminders.s())
    work(queue)
    admin = make_user(booked.centre, role="admin")
    auth.login(admin.username, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/admin/messages").get_data(as_text=True)
    assert "138****0011" in page and "13800000011" not in page and "Day-before reminder" in page
    message = Message.get()
    answer = client.post(
        f"/admin/messages/{message.id}/resend", data={"csrf_token": csrf_token(client, "/admin/messages")}
    )
    assert answer.status_code == 302
    work(queue)
    assert [m.state for m in Message.select().order_by(Message.id)] == ["logged", "logged"]
    other = make_centre(name="另一个中心", region_code="140624")
    elsewhere = Message.create(centre=other, to_mobile="13800000099", template="day_before", provider="log")
    refused = client.post(
        f"/admin/messages/{elsewhere.id}/resend", data={"csrf_token": csrf_token(client, "/admin/messages")}
    )
    assert refused.status_code == 404


def test_a_student_turns_reminders_off(app, client, auth, queue):
    centre = make_centre()
    student = make_student(centre)
    auth.login(student.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/").get_data(as_text=True)
    assert 'name="wanted" checked' in page
    client.post("/me/reminders", data={"csrf_token": csrf_token(client, "/me/")})
    assert Student.get_by_id(student.id).reminders_off
    client.post("/me/reminders", data={"csrf_token": csrf_token(client, "/me/"), "wanted": "on"})
    assert not Student.get_by_id(student.id).reminders_off


def test_a_student_who_asked_is_told_when_three_are_before_them(app, client, auth, queue):
    centre = make_centre()
    season = make_season(centre, year=date.today().year)
    desk = make_user(centre, role="desk")
    with app.test_request_context():
        today = clock.local_today()
        students = []
        for n in range(6):
            student = make_student(centre, name=f"候{n}", mobile=f"1370000{n:04d}")
            queue_service.desk_check_in(
                make_appointment(student, season, today, code=f"Q{n:05d}"), desk, today
            )
            students.append(student)
    last = students[-1]
    auth.login(last.id_number, PASSWORD)
    client.set_cookie("lang", "en")
    page = client.get("/me/ticket").get_data(as_text=True)
    assert "Text me when 3 people are before me" in page
    client.post("/me/ticket/near", data={"csrf_token": csrf_token(client, "/me/ticket"), "wanted": "on"})
    assert Message.select().count() == 0  # five before: not yet
    with app.test_request_context():
        calling.call_next(centre, today, "first_loan", 1, desk)
        assert Message.select().count() == 0  # four before
        calling.call_next(centre, today, "first_loan", 2, desk)  # three before now
    work(queue)
    (told,) = Message.select()
    assert (told.student_id, told.template, told.state) == (last.id, "queue_near", "logged")
    with app.test_request_context():
        calling.call_next(centre, today, "first_loan", 3, desk)
    assert Message.select().count() == 1  # told once
