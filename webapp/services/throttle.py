"""Sign-in throttling kept in the database, so every app process sees the same count."""

from datetime import timedelta

from flask import current_app

from webapp.db import database
from webapp.models import LoginThrottle, utcnow


def locked_for(keys: list[str]) -> int:
    """Seconds left on the longest lock among keys, or 0."""
    now = utcnow()
    rows = LoginThrottle.select().where(LoginThrottle.key.in_(keys) & (LoginThrottle.locked_until > now))
    return max((int((r.locked_until - now).total_seconds()) + 1 for r in rows), default=0)


def record_failure(keys: list[str], limits: dict[str, int]) -> None:
    """Count a failed sign-in per key; lock a key once it reaches its limit."""
    window = timedelta(seconds=current_app.config["LOGIN_LOCK_SECONDS"])
    now = utcnow()
    with database.atomic():
        for key in keys:
            row, _ = LoginThrottle.get_or_create(key=key, defaults={"first_failure_at": now})
            if now - row.first_failure_at > window:
                row.failures, row.first_failure_at = 0, now
            row.failures += 1
            if row.failures >= limits[key]:
                row.locked_until = now + window
                row.failures, row.first_failure_at = 0, now
            row.save()


def clear(keys: list[str]) -> None:
    LoginThrottle.delete().where(LoginThrottle.key.in_(keys)).execute()
