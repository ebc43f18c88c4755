"""The student's own pages: their record and their applications, never anyone else's."""

from . import application, booking, record, renewal, ticket  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
