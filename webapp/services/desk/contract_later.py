"""Papers now, contract later: on a crowded day (the reference county's emergency plan) the desk
checks the papers, records them as received, and books the student's return for the contract.
The return visit takes no place of the day's quota and its ticket goes to the front of the
line, so nobody queues twice for one loan."""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from webapp.clock import local_today
from webapp.db import database, lock_keys
from webapp.models import Application, Appointment, User, utcnow
from webapp.services.booking import appointments
from webapp.services.casework.materials import papers_for
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.vocabulary import HOLDING_PLACE, ApplicationStatus, AppointmentStatus, Service


class ContractLaterError(FieldErrors):
    pass


def return_visit(application: Application) -> Appointment | None:
    """The booked return visit for the contract, if any."""
    return (
        Appointment.select()
        .where(
            (Appointment.application == application)
            & Appointment.return_visit
            & Appointment.status.in_(HOLDING_PLACE)
        )
        .first()
    )


def defer_contract(application: Application, day: date | None, half_day: str, user: User) -> Appointment:
    """Record the papers as received and book the return half-day; the visit of today is done."""
    if application.kind != Service.FIRST_LOAN or application.status != ApplicationStatus.SUBMITTED:
        raise ContractLaterError(
            {"_": _l("Only a submitted first-loan application can wait for its contract.")}, 409
        )
    missing = [key for key in papers_for(application) if key not in application.materials_checked.split(",")]
    if missing:
        raise ContractLaterError({"_": _l("Tick every paper received before booking the return visit.")})
    if day is None or day <= local_today():
        raise ContractLaterError({"day": _l("Choose a later day for the return visit.")})
    try:
        # The desk books past the students' cut-off: the return is arranged at the window.
        appointments.check_slot(application.season, Service.FIRST_LOAN, day, half_day, now=datetime.min)
    except appointments.BookingError as exc:
        raise ContractLaterError({"day": exc.message}) from None
    with database.atomic():
        lock_keys([f"application:{application.id}"])
        Appointment.update(status=AppointmentStatus.DONE).where(
            (Appointment.application == application) & Appointment.status.in_(HOLDING_PLACE)
        ).execute()
        Application.update(papers_received_at=utcnow(), papers_received_by=user).where(
            Application.id == application.id
        ).execute()
        appointment = Appointment.create(
            centre=application.centre,
            season=application.season,
            student=application.student,
            application=application,
            service=Service.FIRST_LOAN,
            day=day,
            half_day=half_day,
            code=appointments.new_code(),
            status=AppointmentStatus.BOOKED,
            return_visit=True,
        )
        audit.record(
            "application.contract_later",
            application,
            actor=user,
            day=day.isoformat(),
            half_day=half_day,
            code=appointment.code,
        )
    return appointment
