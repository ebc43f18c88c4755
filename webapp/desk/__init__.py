"""The acceptance desk: today's list and check-in, calling tickets to the windows, the
waiting-room screen, acceptance, renewal declarations and the incident log."""

from flask import Blueprint

from webapp.vocabulary import Role

bp = Blueprint("desk", __name__, url_prefix="/desk")
DESK_ROLES = (Role.DESK, Role.LEADER)


from . import acceptance, claims, contract_changes, incidents, renewals, screen, today, window  # noqa: E402,F401
