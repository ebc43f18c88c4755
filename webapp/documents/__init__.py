"""Printing: the desk's print page and the PDFs of each document, alone or in batches."""

from . import routes  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
