"""Sign-in, student sign-up and sign-out."""

from . import routes  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
