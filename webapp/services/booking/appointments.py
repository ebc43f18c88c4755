"""Booking a half-day at the centre's window, within the season's quotas: never overbooked.

A booking counts the places taken and inserts in one transaction that holds the lock of its
half-day (a PostgreSQL advisory lock; SQLite runs one writer at a time), so concurrent requests
queue for the last place instead of sharing it.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from icalendar import Calendar, Event

from webapp.clock import local_now
from webapp.db import database, lock_keys
from webapp.models import Application, Appointment, ClosedDay, Season, Student, utcnow
from webapp.public_address import public_url
from webapp.services.booking import quotas
from webapp.services.casework.season_loans import is_loan
from webapp.services.casework.student_record import student_application
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.services.messaging import messages
from webapp.vocabulary import (
    BOOKABLE_SERVICES,
    HOLDING_PLACE,
    ApplicationStatus,
    AppointmentStatus,
    HalfDay,
    MessageTemplate,
    Service,
)

HALF_DAY_STARTS = {HalfDay.MORNING: time(8, 30), HalfDay.AFTERNOON: time(14, 30)}
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
HALF_DAY_ENDS = {HalfDay.MORNING: time(12, 0), HalfDay.AFTERNOON: time(17, 30)}


def half_day_hours(half_day: str) -> str:
    """ "08:30–12:00": the half-day's opening hours as the confirmation and calendar file say."""
    return f"{HALF_DAY_STARTS[half_day]:%H:%M}–{HALF_DAY_ENDS[half_day]:%H:%M}"


class Refusal(StrEnum):
    """Why a booking was refused, as the JSON API names it (error)."""

    INVALID = "invalid"
    NO_APPLICATION = "no_application"
    FULL = "full"
    ALREADY_BOOKED = "already_booked"
    NOT_NEEDED = "not_needed"


class BookingError(RuleError):
    """A booking rule was broken; status is 409 for a full half-day or a second booking, and
    reason names the case for the JSON API."""

    status = 422

    def __init__(self, message, status=None, reason=Refusal.INVALID):
        super().__init__(message, status)
        self.reason = reason


@dataclass(frozen=True)
class OpenHalfDay:
    """A half-day still open for booking, with its places and the places taken."""

    day: object
    half_day: str
    places: int
    taken: int

    @property
    def remaining(self) -> int:
        return max(self.places - self.taken, 0)


def closed_days(season: Season) -> set[date]:
    return {c.day for c in ClosedDay.select(ClosedDay.day).where(ClosedDay.season == season)}


def _starts_at(day, half_day):
    return datetime.combine(day, HALF_DAY_STARTS[half_day])


def _bookable_until(season, day, half_day):
    """Bookings and cancellations close booking_cutoff_hours before the half-day starts."""
    return _starts_at(day, half_day) - timedelta(hours=season.booking_cutoff_hours)


def window(season: Season, service: str) -> tuple[date | None, date | None]:
    """The days a service is booked on: the contract-change window for contract changes, the
    acceptance window otherwise; (None, None) when the season has no contract-change window."""
    if service == Service.CONTRACT_CHANGE:
        return season.contract_change_start, season.contract_change_end
    return season.acceptance_start, season.acceptance_end


def check_closed_day_target(season: Season, day: date) -> str | None:
    """Why bookings of a closing day cannot move to day, or None (its places are checked apart)."""
    if not season.acceptance_start <= day <= season.acceptance_end:
        return _l(
            "Choose a day between %(start)s and %(end)s.",
            start=season.acceptance_start.isoformat(),
            end=season.acceptance_end.isoformat(),
        )
    if day.weekday() >= 5 or day in closed_days(season):
        return _l("The centre is closed on that day.")
    return None


def check_slot(
    season: Season,
    service: str,
    day: date,
    half_day: str,
    now: datetime | None = None,
    closed: set[date] | None = None,
) -> None:
    """Raise BookingError unless the slot may be booked (or cancelled) now."""
    now = now or local_now().replace(tzinfo=None)
    if service not in BOOKABLE_SERVICES:
        raise BookingError(_l("Choose a service from the list."))
    if half_day not in HalfDay.values():
        raise BookingError(_l("Choose the morning or the afternoon."))
    start, end = window(season, service)
    if start is None:
        raise BookingError(_l("This season has no contract-change window."))
    if not start <= day <= end:
        raise BookingError(
            _l("Choose a day between %(start)s and %(end)s.", start=start.isoformat(), end=end.isoformat())
        )
    if day.weekday() >= 5 or day in (closed if closed is not None else closed_days(season)):
        raise BookingError(_l("The centre is closed on that day."))
    if now > _bookable_until(season, day, half_day):
        raise BookingError(_l("Bookings for that half-day have closed."))


def calendar(season: Season, service: str, now: datetime | None = None) -> list[OpenHalfDay]:
    """Every bookable half-day still open, with places and places taken."""
    now = now or local_now().replace(tzinfo=None)
    closed = closed_days(season)
    counts = quotas.taken_by_half_day(season, service)
    places = {half_day: quotas.places(season, service, half_day) for half_day in HalfDay.values()}
    slots, (day, end) = [], window(season, service)
    while day is not None and day <= end:
        for half_day in HalfDay.values():
            try:
                check_slot(season, service, day, half_day, now, closed)
            except BookingError:
                continue
            slots.append(OpenHalfDay(day, half_day, places[half_day], counts.get((day, half_day), 0)))
        day += timedelta(days=1)
    return slots


@dataclass
class CalendarWeek:
    """A week of the booking calendar: each open day with its morning and afternoon."""

    monday: object
    days: list  # [(day, {half_day: OpenHalfDay})]


SOON_DAYS = 14  # shown at once; later dates on demand


def calendar_weeks(slots: list[OpenHalfDay], today: date) -> tuple[list[CalendarWeek], list[CalendarWeek]]:
    """The open half-days grouped by week: (the next two weeks, later weeks)."""
    soon, later, weeks = [], [], {}
    for slot in slots:
        monday = slot.day - timedelta(days=slot.day.weekday())
        week = weeks.get(monday)
        if week is None:
            week = weeks[monday] = CalendarWeek(monday, [])
            (soon if monday < today + timedelta(days=SOON_DAYS) else later).append(week)
        if not week.days or week.days[-1][0] != slot.day:
            week.days.append((slot.day, {}))
        week.days[-1][1][slot.half_day] = slot
    return soon, later


def active_booking(student: Student, season: Season, service: str) -> Appointment | None:
    return (
        Appointment.select()
        .where(
            (Appointment.student == student)
            & (Appointment.season == season)
            & (Appointment.service == service)
            & Appointment.status.in_(HOLDING_PLACE)
        )
        .first()
    )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def book_slot(
    student: Student,
    season: Season,
    service: str,
    day: date,
    half_day: str,
    now: datetime | None = None,
) -> Appointment:
    """Book a place or raise BookingError; one active booking per student and service.
    A place needs a reason to come: a submitted first-loan application, or a renewal the desk
    asked to see at the window (renewals are otherwise settled online), so that empty accounts
    cannot drain a half-day. The application is the student's own of that kind this season."""
    check_slot(season, service, day, half_day, now)
    if not reason_to_come(student, season, service):
        if service == Service.CONTRACT_CHANGE:
            raise BookingError(
                _l(
                    "A contract change is for a loan already made; your loan of this season is not accepted yet."
                ),
                status=409,
                reason=Refusal.NOT_NEEDED,
            )
        if service == Service.RENEWAL:
            raise BookingError(
                _l(
                    "Renewals are handled online. Book a renewal half-day only when the centre asks you to come to the window."
                ),
                status=409,
                reason=Refusal.NOT_NEEDED,
            )
        first_loan = student_application(student, season, Service.FIRST_LOAN)
        if first_loan is not None and first_loan.status == ApplicationStatus.ACCEPTED:
            raise BookingError(
                _l("Your loan of this season is accepted: there is nothing more to book for it."),
                status=409,
                reason=Refusal.NOT_NEEDED,
            )
        raise BookingError(
            _l("Submit your application first; then book a half-day at the window."),
            status=403,
            reason=Refusal.NO_APPLICATION,
        )
    places = quotas.places(season, service, half_day)
    with database.atomic():
        lock_keys([f"slot:{season.id}:{service}:{day}:{half_day}", f"student:{student.id}:{service}"])
        if active_booking(student, season, service) is not None:
            raise BookingError(
                _l(
                    "You already have a booking for this service. Cancel it first to choose another half-day."
                ),
                status=409,
                reason=Refusal.ALREADY_BOOKED,
            )
        if quotas.taken(season, service, day, half_day) >= places:
            raise BookingError(
                _l("That half-day is full. Please choose another."), status=409, reason=Refusal.FULL
            )
        appointment = Appointment.create(
            centre=season.centre,
            season=season,
            student=student,
            application=_application_for(student, season, service),
            service=service,
            day=day,
            half_day=half_day,
            code=new_code(),
            status=AppointmentStatus.BOOKED,
        )
        audit.record("booking.created", appointment, code=appointment.code)
    messages.notify(
        student,
        MessageTemplate.BOOKING_MADE,
        {
            **messages.booking_params(appointment),
            "link": public_url("student.booking_confirmation", code=appointment.code),
        },
    )
    return appointment


def _application_for(student, season, service):
    """The application a visit is for: a contract change concerns the season's loan."""
    if service == Service.CONTRACT_CHANGE:
        return season_loan(student, season)
    return student_application(student, season, service)


def season_loan(student: Student, season: Season) -> Application | None:
    """The student's loan of the season (first loan or renewal), if one was made."""
    return (
        Application.select()
        .where((Application.student == student) & (Application.season == season) & is_loan())
        .first()
    )


def contract_change_open(student: Student, season: Season | None, today: date) -> bool:
    """Whether to offer the student a contract-change visit: a loan this season and a
    contract-change window not yet over."""
    return (
        season is not None
        and season.contract_change_end is not None
        and today <= season.contract_change_end
        and season_loan(student, season) is not None
    )


def reason_to_come(student: Student, season: Season, service: str) -> bool:
    """Whether the student may book this service: a submitted first loan, a renewal the desk
    asked to see at the window, or a change to a loan already made."""
    application = student_application(student, season, service)
    if service == Service.CONTRACT_CHANGE:
        return season_loan(student, season) is not None
    if service == Service.FIRST_LOAN:
        return application is not None and application.status == ApplicationStatus.SUBMITTED
    return window_required(application)


def window_required(application: Application | None) -> bool:
    """Whether the desk approved this renewal on condition of a visit to the window."""
    return (
        application is not None
        and application.kind == Service.RENEWAL
        and application.status == ApplicationStatus.APPROVED
        and application.needs_window
    )


def cancel_booking(appointment: Appointment, now: datetime | None = None) -> Appointment:
    """Free the place, until the same cut-off as booking."""
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError(_l("Only a booking that is not used yet can be cancelled."), status=409)
    now = now or local_now().replace(tzinfo=None)
    if now > _bookable_until(appointment.season, appointment.day, appointment.half_day):
        raise BookingError(_l("It is too late to cancel this booking; please call the centre."), status=409)
    appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, utcnow()
    appointment.save()
    audit.record("booking.cancelled", appointment, code=appointment.code)
    messages.notify(
        appointment.student, MessageTemplate.BOOKING_CANCELLED, messages.booking_params(appointment)
    )
    return appointment


def calendar_file(appointment: Appointment, summary: str, location: str) -> bytes:
    """The booking as an .ics file for the phone's calendar."""
    calendar = Calendar()
    calendar.add("prodid", "-//Student Loan Service//booking//ZH")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{appointment.code}@studentloan")
    event.add("summary", summary)
    event.add("location", location)
    event.add("dtstart", datetime.combine(appointment.day, HALF_DAY_STARTS[appointment.half_day]))
    event.add("dtend", datetime.combine(appointment.day, HALF_DAY_ENDS[appointment.half_day]))
    event.add("dtstamp", utcnow())
    calendar.add_component(event)
    return calendar.to_ical()
