"""JSON endpoints for the offline pages: reachability and the sync outbox.

Exempt from the CSRF token (a cached offline page may hold an expired one); a cross-site page
cannot send these requests because they require `Content-Type: application/json`, which a
browser only sends cross-origin after a CORS preflight this app never grants.
"""

from . import routes  # noqa: F401  (their routes join bp)
from .blueprint import bp

__all__ = ["bp"]
