"""The timed messages, found on each run of the task queue's quarter-hourly task: the day before
a booked half-day (from 18:00 local), papers owed due in three days and a day overdue (from
09:00), and a week before the universities' confirmation deadline (from 09:00). Each student
gets at most one message of a kind a day (services/messaging/messages.py keeps that rule), so a run that
is late or repeated sends nothing twice."""

from datetime import datetime, time, timedelta

from webapp import clock
from webapp.models import Application, Appointment, OwedMaterial, Season, Student
from webapp.services.casework.materials import MATERIAL_LABELS
from webapp.services.messaging import messages
from webapp.services.national.receipt_confirmations import unconfirmed_loans
from webapp.vocabulary import AppointmentStatus, MessageTemplate

DAY_BEFORE_FROM = time(18, 0)
MORNING_FROM = time(9, 0)
PAPERS_DUE_IN = timedelta(days=3)
CONFIRMATION_WARNING = timedelta(days=7)


def run(now: datetime | None = None) -> int:
    """Queue every reminder due at now (local time); returns how many were queued."""
    now = now or clock.local_now()
    queued = 0
    if now.time() >= DAY_BEFORE_FROM:
        queued += day_before(now.date() + timedelta(days=1))
    if now.time() >= MORNING_FROM:
        queued += papers_owed(now.date()) + confirmations_missing(now.date())
    return queued


def day_before(day) -> int:
    """Students booked for day: the half-day, the address and what to bring."""
    queued = 0
    bookings = (
        Appointment.select(Appointment, Student)
        .join(Student)
        .where((Appointment.day == day) & (Appointment.status == AppointmentStatus.BOOKED))
    )
    for appointment in bookings:
        queued += bool(
            messages.notify(
                appointment.student,
                MessageTemplate.DAY_BEFORE,
                messages.booking_params(appointment),
                reminder=True,
            )
        )
    return queued


def papers_owed(today) -> int:
    """A paper due in three days, and one a day overdue."""
    queued = 0
    for template, due_on in (
        (MessageTemplate.PAPERS_DUE, today + PAPERS_DUE_IN),
        (MessageTemplate.PAPERS_OVERDUE, today - timedelta(days=1)),
    ):
        owed = (
            OwedMaterial.select(OwedMaterial, Application, Student)
            .join(Application)
            .join(Student)
            .where((OwedMaterial.due_on == due_on) & OwedMaterial.received_at.is_null())
        )
        for item in owed:
            params = {"paper": str(MATERIAL_LABELS[item.material]), "day": item.due_on.isoformat()}
            queued += bool(messages.notify(item.application.student, template, params, reminder=True))
    return queued


def confirmations_missing(today) -> int:
    """A week before a season's confirmation deadline: loans whose receipt is not confirmed."""
    queued = 0
    for season in Season.select().where(Season.confirmation_deadline == today + CONFIRMATION_WARNING):
        for application in unconfirmed_loans(season):
            params = {
                "university": application.university,
                "day": season.confirmation_deadline.isoformat(),
            }
            queued += bool(
                messages.notify(
                    application.student, MessageTemplate.CONFIRMATION_MISSING, params, reminder=True
                )
            )
    return queued
