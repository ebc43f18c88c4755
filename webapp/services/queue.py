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
from webapp.db import database, lock_keys
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


def current_ticket(student, day=None):
    return (Ticket.select().where((Ticket.student == student) & (Ticket.day == (day or local_today())))
            .order_by(Ticket.id.desc()).first())


def position(ticket):
    """What a waiting student needs to know: how many are ahead, and who is being called."""
    ahead = (Ticket.select()
             .where((Ticket.centre == ticket.centre_id) & (Ticket.day == ticket.day)
                    & (Ticket.stream == ticket.stream) & (Ticket.status == "waiting")
                    & (Ticket.number < ticket.number) & ~Ticket.green_channel)
             .count()) if ticket.status == "waiting" else 0
    calling = (Ticket.select(Ticket.stream, Ticket.number, Ticket.window)
               .where((Ticket.centre == ticket.centre_id) & (Ticket.day == ticket.day)
                      & (Ticket.stream == ticket.stream) & Ticket.called_at.is_null(False))
               .order_by(Ticket.called_at.desc()).first())
    return {"ticket": ticket.label, "status": ticket.status, "ahead": ahead,
            "calling": calling.label if calling else None,
            "window": ticket.window if ticket.status in ("called", "serving") else None}
