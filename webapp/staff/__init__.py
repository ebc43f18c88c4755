"""Home pages of the staff roles; each later area grows its own blueprint."""

from . import routes  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
