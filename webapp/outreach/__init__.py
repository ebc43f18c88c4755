"""Outreach at schools: the offline capture page, its reference data, and the centre's review
of what was captured."""

from flask import Blueprint

bp = Blueprint("outreach", __name__, url_prefix="/outreach")

from . import routes  # noqa: E402,F401
