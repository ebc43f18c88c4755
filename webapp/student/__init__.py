"""The student's own pages: their record and their applications, never anyone else's."""

from flask import Blueprint

bp = Blueprint("student", __name__, url_prefix="/me")

from . import routes  # noqa: E402,F401
