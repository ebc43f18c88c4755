"""The front door: the landing redirect, the language switcher and a health check."""

from . import routes  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
