"""Outreach at schools: the offline capture page, its reference data, and the centre's review
of what was captured."""

from . import routes  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
