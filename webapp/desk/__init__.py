"""The acceptance desk: renewal declarations now; today's list and calling tickets next."""
from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from . import routes  # noqa: E402,F401
