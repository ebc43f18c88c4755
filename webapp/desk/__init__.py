"""The acceptance desk: today's list and check-in, calling tickets to the windows, the
waiting-room screen, acceptance, renewal declarations and the incident log."""

from . import acceptance, claims, contract_changes, incidents, renewals, screen, today, window  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
