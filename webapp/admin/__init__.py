"""Centre administration: season set-up, staff and schools, rosters, the duty rota, and what
admins and leaders read (dashboard, publicity, exports, audit log)."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import national, people, reports, routes, season  # noqa: E402,F401
