"""Closing a day of the acceptance window, also when students are booked on it: their bookings
move together to a half-day the admin picks (within its places, in one transaction), or are
cancelled so that each student chooses again; each student is told by text message, and the desk
sees the moved bookings on their new day."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from webapp.db import database, lock_keys
from webapp.i18n import SERVICE_LABELS
from webapp.models import Appointment, ClosedDay, Season, User, utcnow
from webapp.public_address import public_url
from webapp.services.booking import quotas
from webapp.services.booking.appointments import check_closed_day_target
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.messaging import messages
from webapp.vocabulary import AppointmentStatus, AuditAction, HalfDay, MessageTemplate


class ClosingErrors(FieldErrors):
    pass


@dataclass
class Closing:
    closed: ClosedDay
    moved: int = 0
    to_choose: int = 0


def _booked_on(season, day):
    return list(
        Appointment.select()
        .where(
            (Appointment.season == season)
            & (Appointment.day == day)
            & (Appointment.status == AppointmentStatus.BOOKED)
        )
        .order_by(Appointment.id)
    )


def close_day(
    season: Season,
    day: date | None,
    reason: str | None,
    user: User,
    move_to: date | None = None,
    move_to_half_day: str = "",
    let_choose: bool = False,
) -> Closing:
    """Close the day; its bookings move to move_to (move_to_half_day) or, with let_choose, are
    cancelled for each student to choose again. ClosingErrors says what to change."""
    if day is None or not season.acceptance_start <= day <= season.acceptance_end:
        raise ClosingErrors({"day": _l("Choose a day inside the acceptance window.")})
    if ClosedDay.select().where((ClosedDay.season == season) & (ClosedDay.day == day)).exists():
        raise ClosingErrors({"day": _l("That day is already closed.")}, status=409)
    checked_in = Appointment.select().where(
        (Appointment.season == season)
        & (Appointment.day == day)
        & (Appointment.status == AppointmentStatus.CHECKED_IN)
    )
    if checked_in.exists():
        raise ClosingErrors(
            {"day": _l("Students have checked in on that day; it cannot close now.")}, status=409
        )
    booked = _booked_on(season, day)
    if booked and not (move_to or let_choose):
        raise ClosingErrors(
            {
                "move_to": _l(
                    "%(n)d students are booked on that day; choose a half-day to move them to, or let each student choose.",
                    n=len(booked),
                )
            },
            status=409,
        )
    if booked and move_to:
        _check_target(season, day, move_to, move_to_half_day, booked)
    with database.atomic():
        if booked and move_to:
            lock_keys(
                [f"slot:{season.id}:{service}:{move_to}:{move_to_half_day}" for service in _services(booked)]
            )
            _check_target(season, day, move_to, move_to_half_day, _booked_on(season, day))
        closed = ClosedDay.create(season=season, day=day, reason=(reason or "").strip())
        closing = Closing(closed)
        for appointment in booked:
            if move_to:
                _move(appointment, day, move_to, move_to_half_day)
                closing.moved += 1
            else:
                _cancel(appointment, day)
                closing.to_choose += 1
        audit.record(
            AuditAction.SEASON_CLOSED_DAY,
            season,
            actor=user,
            day=day,
            reason=closed.reason,
            moved=closing.moved,
            to_choose=closing.to_choose,
            **({"to": f"{move_to} {move_to_half_day}"} if closing.moved else {}),
        )
    return closing


def _services(bookings):
    return sorted({appointment.service for appointment in bookings})


def _check_target(season, day, move_to, half_day, booked):
    """The target half-day is open and has room for every booking that takes a place."""
    if move_to == day:
        raise ClosingErrors({"move_to": _l("Choose another day than the one that closes.")})
    if half_day not in HalfDay.values():
        raise ClosingErrors({"move_to_half_day": _l("Choose the morning or the afternoon.")})
    message = check_closed_day_target(season, move_to)
    if message:
        raise ClosingErrors({"move_to": message})
    needed = Counter(a.service for a in booked if not a.return_visit)
    for service, count in sorted(needed.items()):
        room = quotas.places(season, service, half_day) - quotas.taken(season, service, move_to, half_day)
        if count > room:
            raise ClosingErrors(
                {
                    "move_to": _l(
                        "%(service)s: %(n)d bookings must move, and that half-day has room for %(room)d.",
                        service=SERVICE_LABELS[service],
                        n=count,
                        room=max(room, 0),
                    )
                },
                status=409,
            )


def _move(appointment, old_day, day, half_day):
    appointment.day, appointment.half_day, appointment.moved_from = day, half_day, old_day
    appointment.save()
    audit.record(AuditAction.BOOKING_MOVED, appointment, code=appointment.code, day=day, half_day=half_day)
    messages.notify(
        appointment.student,
        MessageTemplate.BOOKING_MOVED,
        {**messages.booking_params(appointment), "old_day": old_day.isoformat()},
    )


def _cancel(appointment, old_day):
    appointment.status, appointment.cancelled_at = AppointmentStatus.CANCELLED, utcnow()
    appointment.moved_from = old_day
    appointment.save()
    audit.record(AuditAction.BOOKING_CANCELLED, appointment, code=appointment.code, closed_day=old_day)
    messages.notify(
        appointment.student,
        MessageTemplate.BOOKING_CHOOSE,
        {
            "old_day": old_day.isoformat(),
            "code": appointment.code,
            "link": public_url("student.book", service=appointment.service),
        },
    )
