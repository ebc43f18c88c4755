"""The public page where universities check an acceptance certificate."""

from flask import Blueprint

bp = Blueprint("verify", __name__, url_prefix="/verify")

from . import routes  # noqa: E402,F401
