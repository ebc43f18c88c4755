"""Sign-in throttling kept in the database, so every app process sees the same count.

A try is counted before it is checked (begin), in a transaction that holds its keys: forty
wrong passwords sent at once are forty tries, of which only the limit's worth are checked. A try
that succeeds is forgiven (succeeded)."""

from datetime import timedelta

from flask import current_app

from webapp.db import database, lock_keys
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


def begin(limits: dict[str, int], growing: bool = False) -> tuple[int, list[str]]:
    """Count this try against every key before it is checked: (seconds to wait, nothing counted)
    when a key already waits, else (0, the keys this try made wait)."""
    keys = list(limits)
    with database.atomic():
        lock_keys([f"throttle:{key}" for key in keys])  # SQLite's transactions are serial already
        wait = locked_for(keys)
        if wait:
            return wait, []
        return 0, record_failure(keys, limits, growing)


def succeeded(limits: dict[str, int], forget: list[str]) -> None:
    """The try begun was right: the keys of forget start again from nothing; the others (a
    shared address) take back this one try, and wait no more if that brings them under their limit."""
    clear(forget)
    rest = [key for key in limits if key not in forget]
    with database.atomic():
        for row in LoginThrottle.select().where(LoginThrottle.key.in_(rest)):
            row.failures = max(0, row.failures - 1)
            if row.failures < limits[row.key]:
                row.locked_until = None
            row.save()


def clear(keys: list[str]) -> None:
    LoginThrottle.delete().where(LoginThrottle.key.in_(keys)).execute()
