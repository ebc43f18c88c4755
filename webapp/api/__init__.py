"""JSON endpoints for the offline pages: reachability and the sync outbox.

Exempt from the CSRF token (a cached offline page may hold an expired one); a cross-site page
cannot send these requests because they require `Content-Type: application/json`, which a
browser only sends cross-origin after a CORS preflight this app never grants.
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from . import routes  # noqa: E402,F401
