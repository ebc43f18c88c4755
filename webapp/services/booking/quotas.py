"""The booking quota in one place: the places a service has on a half-day, the bookings that hold
one, and what is left.

A place is held by a booking that is booked or checked in. A cancelled booking frees its place;
a no-show or a finished visit is on a day that can no longer be booked (bookings close before
the half-day starts), so counting them or not changes nothing a student can book. A return
visit to sign a contract (services/desk/contract_later.py) never holds a place: the student's place
was used on the first visit.
"""

from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.models import Appointment, Season, ServiceQuota, User
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.vocabulary import BOOKABLE_SERVICES, HalfDay

DEFAULT_PLACES = 30  # the reference county: 30 mornings and 30 afternoons per service
MAX_PLACES = 500


def places(season: Season, service: str, half_day: str) -> int:
    """The daily places of a service on a half-day; 0 when none were set."""
    row = ServiceQuota.get_or_none(
        (ServiceQuota.season == season)
        & (ServiceQuota.service == service)
        & (ServiceQuota.half_day == half_day)
    )
    return row.places if row else 0


def table(season: Season) -> dict:
    """{service: {half_day: places}} for display."""
    result = {}
    for quota in season.quotas:
        result.setdefault(quota.service, {})[quota.half_day] = quota.places
    return result


def taken(season: Season, service: str, day: date, half_day: str) -> int:
    """Places held on one half-day."""
    return (
        Appointment.holding_place()
        .where(
            (Appointment.season == season)
            & (Appointment.service == service)
            & (Appointment.day == day)
            & (Appointment.half_day == half_day)
        )
        .count()
    )


def taken_by_half_day(season: Season, service: str) -> dict:
    """{(day, half_day): places held} over the whole season, in one query."""
    return {
        (day, half_day): count
        for day, half_day, count in Appointment.holding_place(
            Appointment.day, Appointment.half_day, fn.COUNT(Appointment.id)
        )
        .where((Appointment.season == season) & (Appointment.service == service))
        .group_by(Appointment.day, Appointment.half_day)
        .tuples()
    }


def held_outside(season: Season, start: date | None, end: date | None, services: tuple[str, ...]) -> int:
    """Places of these services held outside a window (the window cannot shrink past them);
    every one of them when there is no window."""
    outside = True if start is None else (Appointment.day < start) | (Appointment.day > end)
    return (
        Appointment.holding_place()
        .where((Appointment.season == season) & Appointment.service.in_(services) & outside)
        .count()
    )


def create_defaults(season: Season) -> None:
    """A new season's places: DEFAULT_PLACES for every bookable service and half-day."""
    for service in BOOKABLE_SERVICES:
        for half_day in HalfDay:
            ServiceQuota.create(season=season, service=service, half_day=half_day, places=DEFAULT_PLACES)


def copy(previous: Season, season: Season) -> None:
    """The places of an earlier season, into a new one."""
    for quota in previous.quotas:
        ServiceQuota.update(places=quota.places).where(
            (ServiceQuota.season == season)
            & (ServiceQuota.service == quota.service)
            & (ServiceQuota.half_day == quota.half_day)
        ).execute()


def set_places(season: Season, service: str, half_day: str, count: int | None, user: User) -> None:
    """Daily places for a service and half-day; never below what is already held on a day."""
    if service not in BOOKABLE_SERVICES or half_day not in HalfDay.values():
        raise FieldErrors({"places": _l("Choose a service and a half-day from the list.")})
    if count is None or not 0 <= count <= MAX_PLACES:
        raise FieldErrors(
            {"places": _l("Enter a whole number from %(low)s to %(high)s.", low=0, high=MAX_PLACES)}
        )
    busiest = (
        Appointment.holding_place(Appointment.day, fn.COUNT(Appointment.id).alias("n"))
        .where(
            (Appointment.season == season)
            & (Appointment.service == service)
            & (Appointment.half_day == half_day)
        )
        .group_by(Appointment.day)
        .order_by(fn.COUNT(Appointment.id).desc())
        .first()
    )
    if busiest is not None and busiest.n > count:
        raise FieldErrors(
            {
                "places": _l(
                    "%(n)d places are already booked on %(day)s; the quota cannot be lower.",
                    n=busiest.n,
                    day=busiest.day.isoformat(),
                )
            },
            status=409,
        )
    quota, _created = ServiceQuota.get_or_create(
        season=season, service=service, half_day=half_day, defaults={"places": count}
    )
    old, quota.places = quota.places, count
    quota.save()
    audit.record("season.quota", season, actor=user, service=service, half_day=half_day, old=old, new=count)
