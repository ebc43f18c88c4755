"""Today at the desk: every booking of the day and every walk-in, with one status each, found
by name, the last digits of the ID number or the booking code."""

from dataclasses import dataclass
from datetime import date

from peewee import JOIN

from webapp.models import Application, Appointment, Centre, Student, Ticket
from webapp.services.casework.materials import owing_applications
from webapp.services.common.id_numbers import as_last_digits
from webapp.vocabulary import ApplicationStatus, AppointmentStatus, ContractLater, DeskStatus, TicketStatus

# A ticket's status as the desk reads it; accepted applications override it.
# A ticket's status as the desk reads it; an accepted application overrides it.
TICKET_TO_DESK = {
    TicketStatus.HELD: DeskStatus.HELD,
    TicketStatus.WAITING: DeskStatus.WAITING,
    TicketStatus.CALLED: DeskStatus.CALLED,
    TicketStatus.SERVING: DeskStatus.SERVING,
    TicketStatus.DONE: DeskStatus.DONE,
    TicketStatus.SKIPPED: DeskStatus.NO_SHOW,
}


@dataclass
class BoardRow:
    name: str
    id_number: str
    service: str
    half_day: str
    status: str
    appointment: object = None
    ticket: object = None
    application_id: int = None
    student_id: int = None
    owes_papers: bool = False  # accepted with papers still to follow
    contract_later: str = ""  # a ContractLater, or "" for an ordinary visit


def _status(appointment, ticket, application_status):
    if application_status == ApplicationStatus.ACCEPTED:
        return DeskStatus.ACCEPTED
    if ticket is not None:
        return TICKET_TO_DESK[ticket.status]
    if appointment.status == AppointmentStatus.NO_SHOW:
        return DeskStatus.NO_SHOW
    return DeskStatus.DONE if appointment.status == AppointmentStatus.DONE else DeskStatus.BOOKED


def board(centre: Centre, day: date) -> list[BoardRow]:
    """Rows of today's bookings (morning first) and walk-ins."""
    appointments = (
        Appointment.not_cancelled(Appointment, Student, Application)
        .join(Student)
        .switch(Appointment)
        .join(Application, JOIN.LEFT_OUTER)
        .where((Appointment.centre == centre) & (Appointment.day == day))
        .order_by(Appointment.half_day.desc(), Appointment.service, Student.name)
    )
    tickets = list(Ticket.select().where((Ticket.centre == centre) & (Ticket.day == day)))
    by_appointment = {t.appointment_id: t for t in tickets if t.appointment_id}
    owing = owing_applications(centre)
    rows = []
    for a in appointments:
        ticket = by_appointment.get(a.id)
        application_status = a.application.status if a.application_id else None
        rows.append(
            BoardRow(
                a.student.name,
                a.student.id_number,
                a.service,
                a.half_day,
                _status(a, ticket, application_status),
                a,
                ticket,
                a.application_id,
                a.student_id,
                a.application_id in owing,
                _contract_later(a),
            )
        )
    for t in sorted((t for t in tickets if t.walk_in), key=lambda t: t.number):
        rows.append(
            BoardRow(
                t.visitor_name,
                t.visitor_id_number,
                t.service,
                "",
                TICKET_TO_DESK[t.status],
                None,
                t,
                None,
                t.student_id,
            )
        )
    return rows


def _contract_later(appointment):
    if appointment.return_visit:
        return ContractLater.RETURN
    application = appointment.application if appointment.application_id else None
    if (
        application is not None
        and application.papers_received_at
        and application.status != ApplicationStatus.ACCEPTED
    ):
        return ContractLater.DEFERRED
    return ""


def search(rows: list[BoardRow], query: str | None) -> list[BoardRow]:
    """The rows matching a name, the last digits of an ID number, a booking code or a ticket."""
    query = (query or "").strip().upper()
    return [row for row in rows if _matches(row, query)] if query else rows


def _matches(row, query):
    code = row.appointment.code if row.appointment else ""
    label = row.ticket.label if row.ticket else ""
    last_digits = as_last_digits(query)
    return (
        query in row.name.upper()
        or bool(last_digits and row.id_number.endswith(last_digits))
        or query in (code, label)
    )


def counts(rows: list[BoardRow]) -> dict[str, int]:
    """How many rows have each status, for the summary line."""
    result = dict.fromkeys(DeskStatus.values(), 0)
    for row in rows:
        result[row.status] += 1
    return result
