"""The season at a glance for the director and the duty leader: today's and the season's
figures, each against the previous season, and the series the charts draw.

A season is read in one grouped pass over its applications and one over its bookings; the
charts add one query each. That keeps the page fast with a province's worth of applications.
Times are stored in UTC; days and hours are counted in the centre's time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import JOIN, Expression, Function, fn

from webapp.clock import local_date, utc_offset, utc_start_of
from webapp.db import is_sqlite
from webapp.models import (
    Application,
    Appointment,
    Centre,
    PreRegistration,
    School,
    Season,
    Student,
    Ticket,
)
from webapp.vocabulary import (
    ApplicationStatus,
    AppointmentStatus,
    PreregStatus,
    Service,
    TicketStatus,
)

from .loans import counts_as_loan


@dataclass(frozen=True)
class Figure:
    key: str
    value: float
    previous: float | None

    @property
    def growth(self) -> int | None:
        """Percent change against the previous season, or None when there is nothing to compare."""
        if not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)


def _offset_hours():
    return int(utc_offset().total_seconds() // 3600)


def utc_hour(column) -> Function:
    """The UTC hour a timestamp falls in, as text ("2026-07-20 02"): cheap to group by, turned
    into the local day in Python."""
    if is_sqlite():
        return fn.substr(column, 1, 13)
    return fn.to_char(column, "YYYY-MM-DD HH24")


def _local_date(utc_hour_text):
    if not utc_hour_text:
        return None
    return local_date(datetime.strptime(str(utc_hour_text)[:13], "%Y-%m-%d %H")).isoformat()


def previous_season(season: Season) -> Season | None:
    return Season.get_or_none((Season.centre == season.centre_id) & (Season.year == season.year - 1))


@dataclass
class SeasonNumbers:
    """A season's applications and bookings read in two grouped passes (one per table), from
    which every figure and the daily series are summed in Python."""

    counts: dict
    daily: dict


def season_numbers(season: Season | None, by_day: bool = True) -> SeasonNumbers:
    """by_day=False leaves out the daily series (the previous season's, which only its totals
    are compared with): one grouped pass without the hour, which needs no sort."""
    if season is None:
        return SeasonNumbers({}, {})
    daily, counts = (
        {},
        dict.fromkeys(
            (
                "applications",
                "bookings",
                "no_shows",
                "accepted",
                "accepted_amount",
                "renewals_online",
                "renewals_window",
                "loans",
            ),
            0,
        ),
    )

    def day_row(day):
        return daily.setdefault(str(day)[:10], {"bookings": 0, "no_shows": 0, "accepted": 0})

    grouping = [Application.kind, Application.status, Application.needs_window]
    if by_day:
        grouping.append(utc_hour(Application.accepted_at))
    minutes = [0, 0]
    for kind, status, window, *accepted_hour, count, amount, spent, timed in (
        Application.select(
            *grouping,
            fn.COUNT(Application.id),
            fn.SUM(Application.amount_requested),
            fn.SUM(Application.desk_minutes),
            fn.COUNT(Application.desk_minutes),
        )
        .where(Application.season == season)
        .group_by(*grouping)
        .tuples()
    ):
        if kind == Service.FIRST_LOAN and status != ApplicationStatus.DRAFT:
            counts["applications"] += count
        if status == ApplicationStatus.ACCEPTED:
            counts["accepted"] += count
            counts["accepted_amount"] += amount or 0
            if by_day:
                day_row(_local_date(accepted_hour[0]))["accepted"] += count
            minutes[0] += spent or 0
            minutes[1] += timed
        if counts_as_loan(kind, status, window):
            counts["loans"] += count
        if kind == Service.RENEWAL and window:
            counts["renewals_window"] += count
        elif kind == Service.RENEWAL and status in (ApplicationStatus.APPROVED, ApplicationStatus.ACCEPTED):
            counts["renewals_online"] += count
    for day, status, count in (
        Appointment.not_cancelled(Appointment.day, Appointment.status, fn.COUNT(Appointment.id))
        .where(Appointment.season == season)
        .group_by(Appointment.day, Appointment.status)
        .tuples()
    ):
        counts["bookings"] += count
        if by_day:
            day_row(day)["bookings"] += count
        if status == AppointmentStatus.NO_SHOW:
            counts["no_shows"] += count
            if by_day:
                day_row(day)["no_shows"] += count
    counts["minutes_to_acceptance"] = round(minutes[0] / minutes[1]) if minutes[1] else 0
    counts["pre_registrations"] = _kept_pre_registrations(season).count()
    return SeasonNumbers(counts, dict(sorted(daily.items())))


def _kept_pre_registrations(season, *columns):
    """Pre-registrations kept (accepted or merged) that arrived in the season's year."""
    year_start, year_end = datetime(season.year, 1, 1), datetime(season.year + 1, 1, 1)
    return PreRegistration.select(*columns).where(
        (PreRegistration.centre == season.centre_id)
        & PreRegistration.status.in_([PreregStatus.ACCEPTED, PreregStatus.MERGED])
        & (PreRegistration.received_at >= year_start)
        & (PreRegistration.received_at < year_end)
    )


def minutes_between(later, earlier) -> Expression:
    """later - earlier in minutes, in SQL."""
    if is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 1440
    return fn.date_part("epoch", later - earlier) / 60


FIGURES = (
    "pre_registrations",
    "applications",
    "bookings",
    "no_shows",
    "accepted",
    "accepted_amount",
    "renewals_online",
    "renewals_window",
    "minutes_to_acceptance",
)


def season_figures(current: SeasonNumbers, previous: SeasonNumbers) -> list[Figure]:
    """Each figure of a season (SeasonNumbers) next to the previous season's."""
    return [Figure(key, current.counts[key], previous.counts.get(key)) for key in FIGURES]


def today_figures(centre: Centre, day: date) -> dict:
    """Today's bookings, tickets and acceptances; acceptances by a range on accepted_at, so
    that its index is used."""
    bookings = Appointment.not_cancelled().where((Appointment.centre == centre) & (Appointment.day == day))
    tickets = Ticket.select().where((Ticket.centre == centre) & (Ticket.day == day))
    start = utc_start_of(day)
    return {
        "bookings": bookings.count(),
        "checked_in": tickets.count(),
        "waiting": tickets.where(Ticket.status.in_([TicketStatus.HELD, TicketStatus.WAITING])).count(),
        "no_shows": bookings.where(Appointment.status == AppointmentStatus.NO_SHOW).count(),
        "accepted": Application.select()
        .where(
            (Application.centre == centre)
            & (Application.accepted_at >= start)
            & (Application.accepted_at < start + timedelta(days=1))
        )
        .count(),
    }


def amount_per_school(season: Season) -> list[tuple]:
    """Accepted amount per school of origin, largest first; students without a school last."""
    rows = (
        Application.select(School.name, fn.SUM(Application.amount_requested), fn.COUNT(Application.id))
        .join(Student)
        .join(School, join_type=JOIN.LEFT_OUTER, on=(Student.school == School.id))
        .where((Application.season == season) & (Application.status == ApplicationStatus.ACCEPTED))
        .group_by(School.name)
        .tuples()
    )
    return sorted(rows, key=lambda row: (row[0] is None, -(row[1] or 0)))


def pre_registrations_per_school(season: Season) -> list[tuple]:
    """Pre-registrations received in the season's year, per school and category."""
    rows = (
        _kept_pre_registrations(season, School.name, PreRegistration.category, fn.COUNT(PreRegistration.id))
        .join(School, join_type=JOIN.LEFT_OUTER)
        .group_by(School.name, PreRegistration.category)
        .tuples()
    )
    table = {}
    for school, category, count in rows:
        table.setdefault(school, {})[category] = count
    return sorted(table.items(), key=lambda item: -sum(item[1].values()))


def waiting_by_hour(season: Season) -> dict[int, int]:
    """Average minutes from joining the line to being called, per local hour of the call."""
    utc_hour_of_day = (
        fn.substr(Ticket.called_at, 12, 2) if is_sqlite() else fn.to_char(Ticket.called_at, "HH24")
    )
    rows = (
        Ticket.select(utc_hour_of_day, fn.SUM(Ticket.wait_minutes), fn.COUNT(Ticket.wait_minutes))
        .where(
            (Ticket.centre == season.centre_id)
            & Ticket.day.between(season.acceptance_start, season.acceptance_end)
            & Ticket.called_at.is_null(False)
        )
        .group_by(utc_hour_of_day)
        .tuples()
    )
    hours = {}
    for utc_hour, total, count in rows:
        if count:
            hours[(int(utc_hour) + _offset_hours()) % 24] = round((total or 0) / count)
    return dict(sorted(hours.items()))
