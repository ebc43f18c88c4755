"""The acceptance desk: today's list and check-in, calling tickets to the windows, the
waiting-room screen, acceptance, renewal declarations and the incident log."""

from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")
DESK_ROLES = ("desk", "leader")

from . import acceptance, incidents, renewals, screen, today, window  # noqa: E402,F401
