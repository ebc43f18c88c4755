"""Tickets and the queue: students check in on their booked day and follow their place.

First loans and renewals are numbered in separate streams (A017, B004). Self check-in is by a
QR code at the entrance whose token is an HMAC of the centre and the day, so it only works on
that day and cannot be guessed from another day's code.
"""
import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.clock import local_today
from webapp.db import database, is_sqlite, lock_keys
from webapp.models import Appointment, Ticket, utcnow

from . import audit

STREAMS = {"first_loan": "A", "renewal": "B"}


class QueueError(ValueError):
    def __init__(self, message, status=409):
        super().__init__(message)
        self.message, self.status = message, status


def entrance_token(centre, day):
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"entrance:{centre.id}:{day.isoformat()}".encode(),
                    hashlib.sha256).hexdigest()[:20]


def todays_booking(student, day=None):
    return (Appointment.select()
            .where((Appointment.student == student) & (Appointment.day == (day or local_today()))
                   & Appointment.status.in_(["booked", "checked_in"]))
            .order_by(Appointment.half_day.desc()).first())


def check_in(student, token, day=None):
    """The student's ticket for today, issued on the first check-in."""
    day = day or local_today()
    appointment = todays_booking(student, day)
    if appointment is None:
        raise QueueError(_l("You have no booking for today."), status=404)
    if not hmac.compare_digest(token or "", entrance_token(appointment.centre, day)):
        raise QueueError(_l("This code is not today's code of the centre. Scan the code at the entrance."),
                         status=403)
    existing = Ticket.get_or_none(Ticket.appointment == appointment)
    if existing is not None:
        return existing
    stream = STREAMS[appointment.service]
    with database.atomic():
        lock_keys([f"ticket:{appointment.centre_id}:{day}:{stream}"])
        last = (Ticket.select(fn.MAX(Ticket.number))
                .where((Ticket.centre == appointment.centre) & (Ticket.day == day)
                       & (Ticket.stream == stream)).scalar()) or 0
        ticket = Ticket.create(centre=appointment.centre, day=day, stream=stream, number=last + 1,
                               service=appointment.service, appointment=appointment,
                               student=student, issued_at=utcnow())
        appointment.status = "checked_in"
        appointment.save()
        audit.record("ticket.issued", ticket, label=ticket.label)
    return ticket


# The position a waiting phone polls for, in one statement: the student's latest ticket of the
# day, how many waiting tickets of its stream come first, and the number called last.
_POSITION_SQL = """
SELECT t.stream, t.number, t.status, t."window",
  (SELECT COUNT(*) FROM ticket a
    WHERE a.centre_id = t.centre_id AND a.day = t.day AND a.stream = t.stream
      AND a.status = 'waiting' AND a.number < t.number AND a.green_channel = {false}),
  (SELECT c.number FROM ticket c
    WHERE c.centre_id = t.centre_id AND c.day = t.day AND c.stream = t.stream
      AND c.called_at IS NOT NULL ORDER BY c.called_at DESC LIMIT 1)
FROM ticket t WHERE t.student_id = {p} AND t.day = {p} ORDER BY t.id DESC LIMIT 1
"""


def _label(stream, number):
    return f"{stream}{number:03d}"


def position_of_student(student_id, day=None):
    """What the ticket page polls; None when the student has no ticket today. One query,
    without the ORM, because 200 phones ask every few seconds."""
    sql = _POSITION_SQL.format(p=database.param, false="0" if is_sqlite() else "FALSE")
    row = database.execute_sql(sql, (student_id, day or local_today())).fetchone()
    if row is None:
        return None
    stream, number, status, window, ahead, calling = row
    return {"ticket": _label(stream, number), "status": status,
            "ahead": ahead if status == "waiting" else 0,
            "calling": _label(stream, calling) if calling else None,
            "window": window if status in ("called", "serving") else None}


def current_ticket(student, day=None):
    return (Ticket.select().where((Ticket.student == student) & (Ticket.day == (day or local_today())))
            .order_by(Ticket.id.desc()).first())
