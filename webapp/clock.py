"""The centre's local date and time (Asia/Shanghai unless configured). Times are stored as
naive UTC; these turn local days into UTC ranges and back."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from flask import current_app


def local_now():
    return datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"]))


def local_today():
    return local_now().date()


def utc_offset():
    return local_now().utcoffset()


def utc_start_of(day):
    """The stored (naive UTC) time at which the local day begins."""
    return datetime.combine(day, time()) - utc_offset()


def local_date(utc_moment):
    """The local day of a stored (naive UTC) time."""
    return (utc_moment + utc_offset()).date()
