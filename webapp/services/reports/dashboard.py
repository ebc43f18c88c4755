"""The season at a glance for the director and the duty leader: today's and the season's
figures, each against the previous season, and the series the charts draw.

A season is read in one grouped pass over its applications and one over its bookings, its
acceptances counted day by day as ranges of an index (the daily series); the charts add one query
each. Each reads an index that covers it (migrations 0006 and 0021), in its order where it can,
and groups by ids rather than names (the few schools' names are looked up after). That keeps the
page fast with a province's worth of applications.
Times are stored in UTC; days and hours are counted in the centre's time zone.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from peewee import SQL, Select, ValuesList, fn

from webapp.clock import local_date, utc_offset, utc_start_of
from webapp.db import database, is_sqlite
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
from webapp.services.casework.season_loans import counts_as_loan
from webapp.vocabulary import (
    ApplicationStatus,
    AppointmentStatus,
    PreregStatus,
    Service,
    TicketStatus,
)


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


def previous_season(season: Season) -> Season | None:
    return Season.get_or_none((Season.centre == season.centre_id) & (Season.year == season.year - 1))


@dataclass
class SeasonNumbers:
    """A season's figures (counts) and the daily series of its acceptances and bookings (daily),
    read by season_numbers."""

    counts: dict
    daily: dict

    def days_until(self, today: date) -> dict:
        """The daily series up to today: a chart of the season so far draws no day to come."""
        return {day: row for day, row in self.daily.items() if day <= today.isoformat()}

    def booked_after(self, today: date) -> int:
        """Bookings of the days to come, which days_until leaves out."""
        return sum(row["bookings"] for day, row in self.daily.items() if day > today.isoformat())


COUNTED = (
    "applications",
    "bookings",
    "no_shows",
    "accepted",
    "accepted_amount",
    "renewals_online",
    "renewals_window",
    "loans",
)


def season_numbers(season: Season | None, by_day: bool = True) -> SeasonNumbers:
    """A season's figures from one grouped pass over its applications (by kind, status and
    window, the order of their index: no sort) and one over its bookings; the daily series adds
    the acceptances counted day by day (_accepted_per_day). by_day=False leaves out the daily
    series (the previous season's, which only its totals are compared with)."""
    if season is None:
        return SeasonNumbers({}, {})
    counts, daily = dict.fromkeys(COUNTED, 0), {}

    def day_row(day):
        return daily.setdefault(str(day)[:10], {"bookings": 0, "no_shows": 0, "accepted": 0})

    minutes = [0, 0]
    for kind, status, window, count, amount, spent, timed in (
        Application.select(
            Application.kind,
            Application.status,
            Application.needs_window,
            fn.COUNT(SQL("*")),
            fn.SUM(Application.amount_requested),
            fn.SUM(Application.desk_minutes),
            fn.COUNT(Application.desk_minutes),
        )
        .where(Application.season == season)
        .group_by(Application.kind, Application.status, Application.needs_window)
        .tuples()
    ):
        if kind == Service.FIRST_LOAN and status != ApplicationStatus.DRAFT:
            counts["applications"] += count
        if status == ApplicationStatus.ACCEPTED:
            counts["accepted"] += count
            counts["accepted_amount"] += amount or 0
            minutes[0] += spent or 0
            minutes[1] += timed
        if counts_as_loan(kind, status, window):
            counts["loans"] += count
        if kind == Service.RENEWAL and window:
            counts["renewals_window"] += count
        elif kind == Service.RENEWAL and status in (ApplicationStatus.APPROVED, ApplicationStatus.ACCEPTED):
            counts["renewals_online"] += count
    if by_day:
        for day, count in _accepted_per_day(season):
            day_row(day)["accepted"] += count
    for day, status, count in (
        Appointment.not_cancelled(Appointment.day, Appointment.status, fn.COUNT(SQL("*")))
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


DAYS_A_QUERY = 366  # bounds the query's parameters (SQLite's limit) if the span is ever long


def _accepted(season):
    """The season's accepted applications: a range of their (season, status, ...) indexes."""
    return (Application.season == season) & (Application.status == ApplicationStatus.ACCEPTED)


def _accepted_per_day(season):
    """(local day, count) of the season's acceptances, for each day with some. Each local day
    between the first acceptance and the last (two seeks) is a row of a VALUES list, and its
    acceptances are counted by a subquery as a range of the (season, status, accepted_at) index:
    the acceptances are neither sorted nor sent."""
    accepted = Application.select().where(_accepted(season))
    first = accepted.select(fn.MIN(Application.accepted_at)).scalar()
    if first is None:
        return
    first_day = local_date(first)
    last_day = local_date(accepted.select(fn.MAX(Application.accepted_at)).scalar())
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    for start in range(0, len(days), DAYS_A_QUERY):
        batch = ValuesList(
            [
                (n, utc_start_of(day), utc_start_of(day + timedelta(days=1)))
                for n, day in enumerate(days[start : start + DAYS_A_QUERY], start)
            ],
            alias="days",
        )
        n, day_start, day_end = batch.c.column1, batch.c.column2, batch.c.column3
        count = accepted.select(fn.COUNT(SQL("*"))).where(
            (Application.accepted_at >= day_start) & (Application.accepted_at < day_end)
        )
        for number, accepted_count in Select([batch], [n, count]).bind(database).tuples():
            if accepted_count:
                yield days[number].isoformat(), accepted_count


def _school_names(school_ids) -> dict:
    """id -> name of the schools with these ids."""
    ids = [school_id for school_id in set(school_ids) if school_id is not None]
    if not ids:
        return {}
    return dict(School.select(School.id, School.name).where(School.id.in_(ids)).tuples())


def _kept_pre_registrations(season, *columns):
    """Pre-registrations kept (accepted or merged) that arrived in the season's year."""
    year_start, year_end = datetime(season.year, 1, 1), datetime(season.year + 1, 1, 1)
    return PreRegistration.select(*columns).where(
        (PreRegistration.centre == season.centre_id)
        & PreRegistration.status.in_([PreregStatus.ACCEPTED, PreregStatus.MERGED])
        & (PreRegistration.received_at >= year_start)
        & (PreRegistration.received_at < year_end)
    )


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
    """Accepted amount per school of origin, largest first (then by name); students without a
    school last. Summed per school id (an index-only pass and a lookup of each student's
    school), then per name."""
    rows = (
        Application.select(Student.school, fn.SUM(Application.amount_requested), fn.COUNT(SQL("*")))
        .join(Student)
        .where(_accepted(season))
        .group_by(Student.school)
        .tuples()
    )
    rows = list(rows)
    names = _school_names(school_id for school_id, _amount, _count in rows)
    per_name = {}
    for school_id, amount, count in rows:
        name = names.get(school_id)
        total, number = per_name.get(name, (None, 0))
        if amount is not None:
            total = (total or 0) + amount
        per_name[name] = (total, number + count)
    return sorted(
        ((name, total, number) for name, (total, number) in per_name.items()),
        key=lambda row: (row[0] is None, -(row[1] or 0), row[0] or ""),
    )


def pre_registrations_per_school(season: Season) -> list[tuple]:
    """Pre-registrations received in the season's year, per school and category; most first
    (then by name), records without a school last among equals."""
    rows = list(
        _kept_pre_registrations(season, PreRegistration.school, PreRegistration.category, fn.COUNT(SQL("*")))
        .group_by(PreRegistration.school, PreRegistration.category)
        .tuples()
    )
    names = _school_names(school_id for school_id, _category, _count in rows)
    table = {}
    for school_id, category, count in rows:
        per_category = table.setdefault(names.get(school_id), {})
        per_category[category] = per_category.get(category, 0) + count
    return sorted(table.items(), key=lambda item: (-sum(item[1].values()), item[0] is None, item[0] or ""))


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
