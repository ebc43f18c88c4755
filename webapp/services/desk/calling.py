"""Calling tickets to the windows, and what the waiting-room screen shows.

"Next" takes the first waiting ticket of the service under the service's lock (a PostgreSQL
advisory lock; SQLite has one writer at a time), so two windows pressing "next" at the same
moment get two different tickets.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect

from webapp.db import database, lock_keys
from webapp.models import Application, Appointment, Centre, Season, Ticket, User, utcnow
from webapp.services.common import audit
from webapp.services.desk import screen_events
from webapp.services.desk.duty import duty_leader
from webapp.services.desk.tickets import STREAMS, QueueError
from webapp.services.messaging import messages
from webapp.vocabulary import AppointmentStatus, MessageTemplate, TicketStatus

AT_WINDOW = (TicketStatus.CALLED, TicketStatus.SERVING)
QUEUE_ORDER = (Ticket.green_channel.desc(), Ticket.queued_at, Ticket.id)
NEXT_SHOWN = 5
CALLS_SHOWN = 6


def line(centre: Centre, day: date, *columns) -> ModelSelect:
    """The waiting tickets of the day in calling order: green channel first, then by the time
    each joined the line."""
    return (
        Ticket.select(*columns)
        .where((Ticket.centre == centre) & (Ticket.day == day) & (Ticket.status == TicketStatus.WAITING))
        .order_by(*QUEUE_ORDER)
    )


def next_in_line(centre: Centre, day: date, service: str) -> list[str]:
    """The next few numbers of a service, for a window."""
    return [
        t.label
        for t in line(centre, day, Ticket.stream, Ticket.number)
        .where(Ticket.service == service)
        .limit(NEXT_SHOWN)
    ]


def window_ticket(centre: Centre, day: date, window: int) -> Ticket | None:
    """The ticket at the window now (called or being served), or None."""
    return (
        Ticket.select()
        .where(
            (Ticket.centre == centre)
            & (Ticket.day == day)
            & (Ticket.window == window)
            & Ticket.status.in_(AT_WINDOW)
        )
        .order_by(Ticket.called_at.desc())
        .first()
    )


def call_next(centre: Centre, day: date, service: str, window: int, user: User) -> Ticket | None:
    """Call the next ticket of the service to the window; None when nobody waits."""
    with database.atomic():
        lock_keys([f"call:{centre.id}:{day}:{service}", f"window:{centre.id}:{day}:{window}"])
        current = window_ticket(centre, day, window)
        if current is not None:
            raise QueueError(_l("Finish or skip %(label)s at this window first.", label=current.label))
        ticket = line(centre, day).where(Ticket.service == service).first()
        if ticket is None:
            return None
        now = utcnow()
        ticket.status, ticket.window, ticket.called_at, ticket.called_by = (
            TicketStatus.CALLED,
            window,
            now,
            user,
        )
        ticket.wait_minutes = max(0, round((now - (ticket.queued_at or now)).total_seconds() / 60))
        ticket.save()
        audit.record("ticket.called", ticket, actor=user, label=ticket.label, window=window)
    screen_events.announce(centre.id)
    tell_those_near(centre, day, service)
    return ticket


NEAR = 3  # people before a student who asked to be told


def ask_to_be_told(ticket: Ticket, wanted: bool) -> None:
    """The student's choice on the ticket page; told at once if the turn is already near."""
    ticket.notify_near = wanted
    ticket.save(only=[Ticket.notify_near])
    if wanted and ticket.status == TicketStatus.WAITING:
        tell_those_near(ticket.centre, ticket.day, ticket.service)


def tell_those_near(centre: Centre, day: date, service: str) -> int:
    """Text the students who asked, once they have NEAR people or fewer before them."""
    told = 0
    for before, ticket in enumerate(line(centre, day).where(Ticket.service == service).limit(NEAR + 1)):
        if ticket.notify_near and not ticket.near_notified and ticket.student_id:
            ticket.near_notified = True
            ticket.save(only=[Ticket.near_notified])
            messages.notify(ticket.student, MessageTemplate.QUEUE_NEAR, {"n": before, "ticket": ticket.label})
            told += 1
    return told


def recall(ticket: Ticket, user: User) -> None:
    """Call the same ticket again: the screen announces it once more."""
    _expect(ticket, (TicketStatus.CALLED,))
    ticket.called_at = utcnow()
    ticket.save()
    audit.record("ticket.recalled", ticket, actor=user, label=ticket.label, window=ticket.window)
    screen_events.announce(ticket.centre_id)


def start_serving(ticket: Ticket, user: User) -> None:
    _expect(ticket, (TicketStatus.CALLED,))
    ticket.status, ticket.served_at = TicketStatus.SERVING, utcnow()
    ticket.save()
    audit.record("ticket.serving", ticket, actor=user, label=ticket.label, window=ticket.window)


def skip(ticket: Ticket, user: User) -> None:
    """Not there when called: a no-show, which staff may put back in line once."""
    _expect(ticket, (TicketStatus.CALLED,))
    with database.atomic():
        ticket.status, ticket.finished_at = TicketStatus.SKIPPED, utcnow()
        ticket.save()
        _set_appointment(ticket, AppointmentStatus.NO_SHOW)
        audit.record("ticket.skipped", ticket, actor=user, label=ticket.label, window=ticket.window)


def requeue(ticket: Ticket, user: User) -> None:
    """A skipped ticket back at the end of its line, once."""
    _expect(ticket, (TicketStatus.SKIPPED,))
    if ticket.requeued:
        raise QueueError(_l("%(label)s was already put back once.", label=ticket.label))
    with database.atomic():
        ticket.status, ticket.requeued, ticket.queued_at = TicketStatus.WAITING, True, utcnow()
        ticket.window = ticket.called_at = ticket.finished_at = None
        ticket.save()
        _set_appointment(ticket, AppointmentStatus.CHECKED_IN)
        audit.record("ticket.requeued", ticket, actor=user, label=ticket.label)
    screen_events.announce(ticket.centre_id)


def finish(ticket: Ticket, user: User) -> None:
    _expect(ticket, AT_WINDOW)
    with database.atomic():
        ticket.status, ticket.finished_at = TicketStatus.DONE, utcnow()
        ticket.save()
        _set_appointment(ticket, AppointmentStatus.DONE)
        audit.record("ticket.finished", ticket, actor=user, label=ticket.label, window=ticket.window)


def _expect(ticket, statuses):
    if ticket.status not in statuses:
        raise QueueError(_l("%(label)s cannot do that now.", label=ticket.label))


def _set_appointment(ticket, status):
    if ticket.appointment_id:
        Appointment.update(status=status).where(Appointment.id == ticket.appointment_id).execute()


def screen_state(centre: Centre, day: date) -> dict:
    """What the waiting-room screen shows: the latest calls (newest first, with the time of the
    call so that the screen knows what to announce; a finished call stays a little while), the
    next numbers per service, and the duty leader."""
    calls = (
        Ticket.select(
            Ticket.id, Ticket.stream, Ticket.number, Ticket.service, Ticket.window, Ticket.called_at
        )
        .where((Ticket.centre == centre) & (Ticket.day == day) & Ticket.called_at.is_null(False))
        .order_by(Ticket.called_at.desc())
        .limit(CALLS_SHOWN)
    )
    next_up = {service: [] for service in STREAMS}  # first loans, renewals, contract changes
    for ticket in line(centre, day, Ticket.stream, Ticket.number, Ticket.service):
        next_up[ticket.service].append(ticket.label)
    return {
        "calls": [
            {
                "id": t.id,
                "ticket": t.label,
                "window": t.window,
                "service": t.service,
                "called_at": t.called_at.isoformat(),
            }
            for t in calls
        ],
        "next": {service: labels[:NEXT_SHOWN] for service, labels in next_up.items()},
        "waiting": sum(len(labels) for labels in next_up.values()),
        "duty_leader": duty_leader(centre, day),
    }


def application_of(ticket: Ticket) -> Application | None:
    """The application the ticket is for: its booking's, else (a walk-in) the student's
    application of the season for the ticket's service."""
    if ticket.appointment_id and ticket.appointment.application_id:
        return ticket.appointment.application
    if ticket.student_id is None:
        return None
    return (
        Application.select()
        .join(Season)
        .where(
            (Application.student == ticket.student_id)
            & (Application.kind == ticket.service)
            & Season.is_current
        )
        .order_by(Application.id.desc())
        .first()
    )
