"""The season at a glance for the director and the duty leader: today's and the season's
figures, each against the previous season, and the series the charts draw.

Every figure is one aggregate query over indexed columns (season, status, day, accepted_at), so
the page stays fast with a province's worth of applications. Times are stored in UTC; days and
hours are counted in the centre's time zone.
"""
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from peewee import JOIN, SQL, fn

from webapp.db import is_sqlite
from webapp.models import (Application, Appointment, PreRegistration, School, Season, Student,
                           Ticket)


@dataclass(frozen=True)
class Figure:
    key: str
    value: float
    previous: float | None

    @property
    def growth(self):
        """Percent change against the previous season, or None when there is nothing to compare."""
        if not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)


def _offset_hours():
    tz = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    return int(datetime.now(tz).utcoffset().total_seconds() // 3600)


def local_day(column):
    """The local calendar day of a UTC timestamp column, in SQL."""
    hours = _offset_hours()
    if is_sqlite():
        return fn.date(column, f"{hours:+d} hours")
    return fn.date(column + SQL(f"interval '{hours} hours'"))


def local_hour(column):
    hours = _offset_hours()
    if is_sqlite():
        return fn.strftime("%H", column, f"{hours:+d} hours").cast("INTEGER")
    return fn.date_part("hour", column + SQL(f"interval '{hours} hours'"))


def previous_season(season):
    return Season.get_or_none((Season.centre == season.centre_id) & (Season.year == season.year - 1))


def _season_counts(season):
    """The figures of one season, as a dict."""
    if season is None:
        return {}
    apps = Application.select().where(Application.season == season)
    first_loans = apps.where(Application.kind == "first_loan")
    accepted = (Application.select(fn.COUNT(Application.id), fn.COALESCE(fn.SUM(Application.amount_requested), 0))
                .where((Application.season == season) & (Application.status == "accepted")).tuples().get())
    bookings = Appointment.select().where((Appointment.season == season)
                                          & (Appointment.status != "cancelled"))
    renewals = apps.where(Application.kind == "renewal")
    year_start, year_end = datetime(season.year, 1, 1), datetime(season.year + 1, 1, 1)
    return {
        "pre_registrations": PreRegistration.select().where(
            (PreRegistration.centre == season.centre_id)
            & PreRegistration.status.in_(["accepted", "merged"])
            & (PreRegistration.received_at >= year_start) & (PreRegistration.received_at < year_end)).count(),
        "applications": first_loans.where(Application.status != "draft").count(),
        "bookings": bookings.count(),
        "no_shows": bookings.where(Appointment.status == "no_show").count(),
        "accepted": accepted[0],
        "accepted_amount": accepted[1],
        "renewals_online": renewals.where(Application.status.in_(["approved", "accepted"])
                                          & (Application.needs_window == False)).count(),  # noqa: E712
        "renewals_window": renewals.where(Application.needs_window == True).count(),  # noqa: E712
        "minutes_to_acceptance": _minutes_to_acceptance(season),
    }


def minutes_between(later, earlier):
    """later - earlier in minutes, in SQL."""
    if is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 1440
    return fn.date_part("epoch", later - earlier) / 60


def _minutes_to_acceptance(season):
    """Average minutes from the ticket (check-in) to the acceptance of the application."""
    average = (Ticket.select(fn.AVG(minutes_between(Application.accepted_at, Ticket.issued_at)))
               .join(Appointment).join(Application)
               .where((Application.season == season) & Application.accepted_at.is_null(False)
                      & (Application.accepted_at > Ticket.issued_at))
               .scalar())
    return round(average or 0)


def season_figures(season):
    """Each figure of the season next to the previous season's."""
    current, previous = _season_counts(season), _season_counts(previous_season(season))
    return [Figure(key, value, previous.get(key)) for key, value in current.items()]


def today_figures(centre, day):
    bookings = Appointment.select().where((Appointment.centre == centre) & (Appointment.day == day)
                                          & (Appointment.status != "cancelled"))
    tickets = Ticket.select().where((Ticket.centre == centre) & (Ticket.day == day))
    return {
        "bookings": bookings.count(),
        "checked_in": tickets.count(),
        "waiting": tickets.where(Ticket.status.in_(["held", "waiting"])).count(),
        "no_shows": bookings.where(Appointment.status == "no_show").count(),
        "accepted": Application.select().where(
            (Application.centre == centre) & (local_day(Application.accepted_at) == day.isoformat())).count(),
    }


def daily(season):
    """Per day of the season: bookings, no-shows and acceptances (local days)."""
    series = {}
    for day, status, count in (Appointment.select(Appointment.day, Appointment.status, fn.COUNT(Appointment.id))
                               .where((Appointment.season == season) & (Appointment.status != "cancelled"))
                               .group_by(Appointment.day, Appointment.status).tuples()):
        row = series.setdefault(str(day), {"bookings": 0, "no_shows": 0, "accepted": 0})
        row["bookings"] += count
        if status == "no_show":
            row["no_shows"] += count
    accepted_day = local_day(Application.accepted_at)
    for day, count in (Application.select(accepted_day, fn.COUNT(Application.id))
                       .where((Application.season == season) & Application.accepted_at.is_null(False))
                       .group_by(accepted_day).tuples()):
        # peewee reads the day back through the column's type; keep the date part only
        series.setdefault(str(day)[:10], {"bookings": 0, "no_shows": 0, "accepted": 0})["accepted"] = count
    return dict(sorted(series.items()))


def amount_per_school(season):
    """Accepted amount per school of origin, largest first; students without a school last."""
    rows = (Application.select(School.name, fn.SUM(Application.amount_requested), fn.COUNT(Application.id))
            .join(Student).join(School, join_type=JOIN.LEFT_OUTER, on=(Student.school == School.id))
            .where((Application.season == season) & (Application.status == "accepted"))
            .group_by(School.name).tuples())
    return sorted(rows, key=lambda row: (row[0] is None, -(row[1] or 0)))


def pre_registrations_per_school(centre, season):
    """Pre-registrations received in the season's year, per school and category."""
    year_start, year_end = datetime(season.year, 1, 1), datetime(season.year + 1, 1, 1)
    rows = (PreRegistration.select(School.name, PreRegistration.category, fn.COUNT(PreRegistration.id))
            .join(School, join_type=JOIN.LEFT_OUTER)
            .where((PreRegistration.centre == centre)
                   & PreRegistration.status.in_(["accepted", "merged"])
                   & (PreRegistration.received_at >= year_start) & (PreRegistration.received_at < year_end))
            .group_by(School.name, PreRegistration.category).tuples())
    table = {}
    for school, category, count in rows:
        table.setdefault(school, {})[category] = count
    return sorted(table.items(), key=lambda item: -sum(item[1].values()))


def waiting_by_hour(season):
    """Average minutes from joining the line to being called, per hour of the day."""
    hour = local_hour(Ticket.called_at)
    rows = (Ticket.select(hour, fn.AVG(minutes_between(Ticket.called_at, Ticket.queued_at)))
            .where((Ticket.centre == season.centre_id) & Ticket.called_at.is_null(False)
                   & Ticket.queued_at.is_null(False)
                   & Ticket.day.between(season.acceptance_start, season.acceptance_end))
            .group_by(hour).tuples())
    return {int(h): round(max(minutes or 0, 0)) for h, minutes in sorted(rows)}
