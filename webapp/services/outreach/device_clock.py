"""What a device's clock says, taken into account but never corrected: a batch carries the
device's time when it was sent, the difference to the server is kept with every record, and a
record whose times cannot be right is flagged for the people who review it."""

from datetime import date, datetime, timedelta

from webapp.clock import local_date, local_today
from webapp.vocabulary import ClockFlag

# A device may run a few minutes fast without its records being flagged.
TOLERANCE = timedelta(minutes=5)
DAY = timedelta(days=1)


def skew_seconds(device_time: datetime | None, arrived_at: datetime) -> int | None:
    """The device's clock minus the server's (both naive UTC), or None when the batch had none."""
    if device_time is None:
        return None
    return round((device_time - arrived_at).total_seconds())


def flag(captured_at: datetime | None, arrived_at: datetime, skew: int | None) -> str:
    """The ClockFlag for a record, or "" when its times are believable."""
    if skew is not None and abs(skew) > DAY.total_seconds():
        return ClockFlag.DAY_OFF
    if captured_at is not None and captured_at > arrived_at + TOLERANCE:
        return ClockFlag.AFTER_ARRIVAL
    return ""


def latest_day(arrived_at: datetime, skew: int | None) -> date:
    """The latest date a record arriving now may carry: the centre's today, or the device's own
    today when its clock is at most a day ahead (work saved just after midnight on a fast phone).
    A clock further off counts for nothing."""
    today = local_today()
    if skew is None or not 0 < skew <= DAY.total_seconds():
        return today
    return max(today, local_date(arrived_at + timedelta(seconds=skew)))
