"""Enqueueing and sending 10,000 reminders through the `log` backend, on the task queue's two
backends (SqliteHuey in instance/, RedisHuey when a Redis server answers), against a baseline of
inserting the same 10,000 message rows directly.

Enqueue: services/messaging/messages.notify for each student (a message row, and a delivery task on the
queue). Send: a consumer's work in this process, task by task (dequeue and execute), until the
queue is empty; every message ends "logged". The database is SQLite in both cases.
"""

import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from tests.factories import make_season
from webapp import task_queue
from webapp.models import Centre, Message, Student
from webapp.services.messaging import messages
from webapp.vocabulary import MessageState, MessageTemplate

from . import environment
from .report import Check, Section

COUNT = 10_000
CHUNK = 500
TARGET_PER_SECOND = 100  # enqueued and sent: a province's day of reminders in a few minutes


def _students(centre_id):
    now = datetime.utcnow()
    rows = [
        {
            "centre": centre_id,
            "id_number": f"M{n:017d}",
            "id_number_index": f"M{n:017d}",
            "name": f"学生{n}",
            "birth_date": datetime(2007, 1, 1).date(),
            "sex": "F",
            "mobile": f"139{n:08d}",
            "created_at": now,
        }
        for n in range(COUNT)
    ]
    for start in range(0, COUNT, CHUNK):
        Student.insert_many(rows[start : start + CHUNK]).execute()
    return list(Student.select().where(Student.centre == centre_id).order_by(Student.id))


def _baseline(centre_id, students):
    started = time.perf_counter()
    now = datetime.utcnow()
    rows = [
        {
            "centre": centre_id,
            "student": student.id,
            "to_mobile": student.mobile,
            "template": MessageTemplate.DAY_BEFORE,
            "params": "{}",
            "provider": "log",
            "state": MessageState.LOGGED,
            "created_at": now,
        }
        for student in students
    ]
    for start in range(0, COUNT, CHUNK):
        Message.insert_many(rows[start : start + CHUNK]).execute()
    return time.perf_counter() - started


def _through_the_queue(app, students):
    huey = app.extensions["huey"]
    huey.flush()
    ten_am = datetime.now(ZoneInfo(app.config["BABEL_DEFAULT_TIMEZONE"])).replace(hour=10, minute=0)
    params = {"day": "2026-08-10", "half_day": "上午", "code": "K7Q2M9", "address": "右玉县新城镇"}
    started = time.perf_counter()
    for student in students:
        messages.notify(student, MessageTemplate.DAY_BEFORE, params, now=ten_am)
    enqueued = time.perf_counter() - started
    started = time.perf_counter()
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    sent = time.perf_counter() - started
    logged = Message.select().where(Message.state == MessageState.LOGGED).count()
    if logged != COUNT:
        raise RuntimeError(f"{logged} of {COUNT} messages were sent")
    return enqueued, sent


def run():
    rows, checks = [], []
    backends = ["sqlite"] + (["redis"] if _redis_answers() else [])
    for backend in backends:
        with environment.seeded_app("sqlite") as site:
            app = site.app
            if backend == "redis":
                app.config.update(
                    REDIS_URL="redis://127.0.0.1:6379/0", TASK_QUEUE_NAME=f"bench-{uuid.uuid4().hex}"
                )
                task_queue.init_app(app)
            with app.app_context():
                centre = Centre.select().first()
                make_season(centre, year=2026)
                print(f"  messages: {backend} …", flush=True)
                students = _students(centre.id)
                baseline = _baseline(centre.id, students)
                Message.delete().execute()
                enqueued, sent = _through_the_queue(app, students)
                app.extensions["huey"].flush()
        rows.append(
            (
                backend,
                f"insert {COUNT:,} message rows directly (baseline)",
                f"{COUNT / baseline:,.0f} /s",
                f"{baseline:.1f} s",
            )
        )
        rows.append(
            (backend, f"enqueue {COUNT:,} reminders", f"{COUNT / enqueued:,.0f} /s", f"{enqueued:.1f} s")
        )
        rows.append(
            (backend, f"send {COUNT:,} through the log backend", f"{COUNT / sent:,.0f} /s", f"{sent:.1f} s")
        )
        total = COUNT / (enqueued + sent)
        checks.append(
            Check(
                f"{COUNT:,} reminders enqueued and sent ({backend} queue)",
                f"{total:,.0f} messages/s",
                f"> {TARGET_PER_SECOND} /s",
                total > TARGET_PER_SECOND,
            )
        )  # fmt: skip
    method = (
        f"{COUNT:,} students with mobile numbers in a fresh SQLite database. Baseline: the same "
        f"{COUNT:,} message rows inserted in chunks of {CHUNK}. Enqueue: messages.notify per "
        f"student at 10:00 local (outside quiet hours). Send: dequeue and execute every task in "
        f"this process, as the consumer does, with SMS_BACKEND=log."
    )
    return Section(
        "Text messages through the task queue", method, ["Queue", "What", "Rate", "Time"], rows, checks
    )


def _redis_answers():
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), 1).close()
    except OSError:
        return False
    return True


if __name__ == "__main__":
    section = run()
    for row in section.rows:
        print(" | ".join(str(cell) for cell in row))
    for check in section.checks:
        print(check)
