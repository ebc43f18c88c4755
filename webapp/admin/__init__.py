"""Centre administration: season set-up, staff and schools, rosters, the duty rota, and what
admins and leaders read (dashboard, publicity, exports, audit log)."""

from . import national, people, reports, routes, season  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
