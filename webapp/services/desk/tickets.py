"""Tickets and the queue: students check in on their booked day and follow their place.

First loans and renewals are numbered in separate streams (A017, B004), walk-ins without a
booking in a third (W003) that waits until staff admit it. Self check-in is by a QR code at the
entrance whose token is an HMAC of the centre and the day, so it only works on that day and
cannot be guessed from another day's code. The line of a service is ordered by the green
channel first, then by the time each ticket joined it (queued_at).
"""

import hashlib
import hmac
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.clock import local_today
from webapp.db import database, lock_keys
from webapp.models import Appointment, Centre, Student, Ticket, User, utcnow
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors, RuleError
from webapp.services.common.id_numbers import InvalidIdNumber, parse_id_number
from webapp.vocabulary import HOLDING_PLACE, AppointmentStatus, Service, TicketStatus

STREAMS = {Service.FIRST_LOAN: "A", Service.RENEWAL: "B", Service.CONTRACT_CHANGE: "C"}
WALK_IN_STREAM = "W"


class QueueError(RuleError):
    pass


def entrance_token(centre: Centre, day: date) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"entrance:{centre.id}:{day.isoformat()}".encode(), hashlib.sha256).hexdigest()[:20]


def todays_booking(student: Student, day: date | None = None) -> Appointment | None:
    return (
        Appointment.select()
        .where(
            (Appointment.student == student)
            & (Appointment.day == (day or local_today()))
            & Appointment.status.in_(HOLDING_PLACE)
        )
        .order_by(Appointment.half_day.desc())
        .first()
    )


def check_in(student: Student, token: str | None, day: date | None = None) -> Ticket:
    """The student's ticket for today, issued on the first check-in (scanning the entrance code)."""
    day = day or local_today()
    token = token or ""
    if not hmac.compare_digest(token, entrance_token(student.centre, day)):
        if any(
            hmac.compare_digest(token, entrance_token(student.centre, day - timedelta(days=n)))
            for n in (1, 2, 3)
        ):
            raise QueueError(
                _l("This check-in code is from an earlier day. Scan the code at the entrance today."),
                status=403,
            )
        raise QueueError(
            _l("This is not today's check-in code of your centre. Scan the code at the entrance."), status=403
        )
    appointment = todays_booking(student, day)
    if appointment is None:
        raise QueueError(_l("You have no booking for today."), status=404)
    return issue_ticket(appointment, day)


def desk_check_in(appointment: Appointment, user: User, day: date | None = None) -> Ticket:
    """Check-in at the desk, for a student without a phone or a booking code read out."""
    day = day or local_today()
    if appointment.day != day or appointment.status not in HOLDING_PLACE:
        raise QueueError(_l("Only today's bookings that are not used or cancelled can be checked in."))
    return issue_ticket(appointment, day, user)


def issue_ticket(appointment: Appointment, day: date, user: User | None = None) -> Ticket:
    """The appointment's ticket, numbered in its service's stream; issued once, however many
    check-ins arrive together (looked up again under the appointment's lock; the database's
    unique rule on Ticket.appointment is the last guard)."""
    with database.atomic():
        lock_keys([f"appointment-ticket:{appointment.id}"])
        existing = Ticket.get_or_none(Ticket.appointment == appointment)
        if existing is not None:
            return existing
        # A return visit for the contract (services/desk/contract_later.py) is served first.
        ticket = _new_ticket(
            appointment.centre,
            day,
            STREAMS[appointment.service],
            service=appointment.service,
            appointment=appointment,
            student=appointment.student_id,
            status=TicketStatus.WAITING,
            queued_at=utcnow(),
            green_channel=appointment.return_visit,
        )
        appointment.status = AppointmentStatus.CHECKED_IN
        appointment.save()
        audit.record("ticket.issued", ticket, actor=user, label=ticket.label)
    return ticket


# A ticket whose visit is not over yet.
STILL_IN_LINE = (TicketStatus.HELD, TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


def walk_in(
    centre: Centre,
    service: str,
    name: str | None,
    id_number: str | None,
    user: User,
    day: date | None = None,
) -> Ticket:
    """A ticket for someone without a booking, held in its own stream (W001…) until staff
    admit it when places allow."""
    day = day or local_today()
    errors = {}
    if service not in STREAMS:
        errors["service"] = _l("Choose a service from the list.")
    if not (name or "").strip():
        errors["name"] = _l("Enter the name.")
    try:
        number = parse_id_number(id_number).number
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.args[0]
    if errors:
        raise WalkInErrors(errors)
    # the student of this centre with that ID number, if any: the ticket leads to their application
    student = Student.get_or_none((Student.id_number_index == number) & (Student.centre == centre))
    with database.atomic():
        if student is not None:
            # a button pressed twice, or at two desks at once, gives the student one ticket
            lock_keys([f"walk-in:{student.id}:{day.isoformat()}"])
            existing = Ticket.get_or_none(
                (Ticket.student == student)
                & (Ticket.day == day)
                & (Ticket.service == service)
                & Ticket.status.in_(STILL_IN_LINE)
            )
            if existing is not None:
                return existing
        ticket = _new_ticket(
            centre,
            day,
            WALK_IN_STREAM,
            service=service,
            walk_in=True,
            student=student,
            visitor_name=name.strip(),
            visitor_id_number=number,
            status=TicketStatus.HELD,
        )
        audit.record("ticket.walk_in", ticket, actor=user, label=ticket.label)
    return ticket


def admit(ticket: Ticket, user: User) -> None:
    """A held walk-in joins the line of its service, at the end."""
    if ticket.status != TicketStatus.HELD:
        raise QueueError(_l("Only a walk-in ticket that is still held can be admitted."))
    ticket.status, ticket.queued_at = TicketStatus.WAITING, utcnow()
    ticket.save()
    audit.record("ticket.admitted", ticket, actor=user, label=ticket.label)


def give_green_channel(ticket: Ticket, reason: str | None, user: User) -> None:
    """Serve an urgent case first; the reason is kept on the ticket and in the audit log."""
    reason = (reason or "").strip()
    if not reason:
        raise QueueError(_l("Give the reason for the green channel."), status=422)
    if ticket.status not in (TicketStatus.HELD, TicketStatus.WAITING):
        raise QueueError(_l("Only a ticket that is still waiting can take the green channel."))
    ticket.green_channel, ticket.green_reason = True, reason
    if ticket.status == TicketStatus.HELD:
        ticket.status, ticket.queued_at = TicketStatus.WAITING, utcnow()
    ticket.save()
    audit.record("ticket.green_channel", ticket, actor=user, label=ticket.label, reason=reason)


def _new_ticket(centre, day, stream, **fields):
    lock_keys([f"ticket:{centre.id}:{day}:{stream}"])
    last = (
        Ticket.select(fn.MAX(Ticket.number))
        .where((Ticket.centre == centre) & (Ticket.day == day) & (Ticket.stream == stream))
        .scalar()
    ) or 0
    return Ticket.create(centre=centre, day=day, stream=stream, number=last + 1, issued_at=utcnow(), **fields)


class WalkInErrors(FieldErrors):
    pass


# The position a waiting phone polls for, in one statement: the student's latest ticket of the
# day, how many waiting tickets of its stream come first, and the number called last.
_POSITION_SQL = """
SELECT t.stream, t.number, t.status, t."window",
  (SELECT COUNT(*) FROM ticket a
    WHERE a.centre_id = t.centre_id AND a.day = t.day AND a.service = t.service
      AND a.status = {p} AND a.id <> t.id
      AND ((a.green_channel AND NOT t.green_channel)
           OR (a.green_channel = t.green_channel AND (a.queued_at < t.queued_at
               OR (a.queued_at = t.queued_at AND a.id < t.id))))),
  (SELECT c.stream || '-' || c.number FROM ticket c
    WHERE c.centre_id = t.centre_id AND c.day = t.day AND c.service = t.service
      AND c.called_at IS NOT NULL ORDER BY c.called_at DESC LIMIT 1)
FROM ticket t WHERE t.student_id = {p} AND t.day = {p} ORDER BY t.id DESC LIMIT 1
"""  # parameters: the waiting status, the student, the day


def _label(stream, number):
    return f"{stream}{int(number):03d}"


def _split(stream_number):
    stream, number = stream_number.split("-")
    return stream, number


def position_of_student(student_id: int, day: date | None = None) -> dict | None:
    """What the ticket page polls; None when the student has no ticket today. One query,
    without the ORM, because 200 phones ask every few seconds."""
    sql = _POSITION_SQL.format(p=database.param)
    row = database.execute_sql(sql, (TicketStatus.WAITING.value, student_id, day or local_today())).fetchone()
    if row is None:
        return None
    stream, number, status, window, ahead, calling = row
    return {
        "ticket": _label(stream, number),
        "status": status,
        "ahead": ahead if status == TicketStatus.WAITING else 0,
        "calling": _label(*_split(calling)) if calling else None,
        "window": window if status in (TicketStatus.CALLED, TicketStatus.SERVING) else None,
    }


def current_ticket(student: Student, day: date | None = None) -> Ticket | None:
    return (
        Ticket.select()
        .where((Ticket.student == student) & (Ticket.day == (day or local_today())))
        .order_by(Ticket.id.desc())
        .first()
    )


def waiting_per_centre(day: date) -> list[tuple[str, str, int]]:
    """(centre's region code, stream, tickets waiting) for every centre with a line today."""
    return list(
        Ticket.select(Centre.region_code, Ticket.stream, fn.COUNT(Ticket.id))
        .join(Centre)
        .where((Ticket.day == day) & (Ticket.status == TicketStatus.WAITING))
        .group_by(Centre.region_code, Ticket.stream)
        .tuples()
    )
