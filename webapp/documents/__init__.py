"""Printing: the desk's print page and the PDFs of each document, alone or in batches."""

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/documents")

from . import routes  # noqa: E402,F401
