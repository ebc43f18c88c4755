"""The desk blueprint and what its views share, apart from the package so that views import it
without importing the package that imports them."""

from flask import Blueprint

from webapp.clock import local_today
from webapp.models import Ticket
from webapp.security import own_centre_or_404
from webapp.vocabulary import Role

bp = Blueprint("desk", __name__, url_prefix="/desk")
DESK_ROLES = (Role.DESK, Role.LEADER)


def todays_ticket_or_404(ticket_id):
    """A ticket of the desk's centre issued today: an older one is no longer in any line."""
    return own_centre_or_404(Ticket, ticket_id, Ticket.day == local_today())
