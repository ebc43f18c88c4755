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


def record_failure(keys: list[str], limits: dict[str, int], growing: bool = False) -> list[str]:
    """Count a failure per key; from its limit on, a key waits. With growing, the wait starts
    at LOGIN_DELAY_SECONDS and doubles with each further failure up to LOGIN_LOCK_SECONDS (so a
    stranger cannot lock an account, or a school's shared address, for long); otherwise a key
    waits LOGIN_LOCK_SECONDS at once. Returns the keys that this failure made wait."""
    longest = current_app.config["LOGIN_LOCK_SECONDS"]
    window = timedelta(seconds=longest * (4 if growing else 1))
    now = utcnow()
    waiting = []
    with database.atomic():
        for key in keys:
            row, _ = LoginThrottle.get_or_create(key=key, defaults={"first_failure_at": now})
            if now - row.first_failure_at > window:
                row.failures, row.first_failure_at = 0, now
            row.failures += 1
            over = row.failures - limits[key]
            if over >= 0:
                seconds = (
                    min(current_app.config["LOGIN_DELAY_SECONDS"] * 2**over, longest) if growing else longest
                )
                row.locked_until = now + timedelta(seconds=seconds)
                waiting.append(key)
                if not growing:
                    row.failures, row.first_failure_at = 0, now
            row.save()
    return waiting


def clear(keys: list[str]) -> None:
    LoginThrottle.delete().where(LoginThrottle.key.in_(keys)).execute()
