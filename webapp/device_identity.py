"""Who is signed in, told to the device's offline page in a cookie its script reads.

The capture page may come from the service worker's cache, which carries nobody's identity, and
/api/ may not answer just after a sign-in. The cookie, set on each page of a signed-in member of
staff who captures offline and cleared once nobody is signed in, lets the page save at once under
the person who just signed in, never under whoever was signed in before on the device. It names;
it does not authorise: every sync is still checked against the session."""

import json
from urllib.parse import quote

from flask import current_app, request
from flask_login import current_user

from webapp.vocabulary import OFFLINE_ROLES

COOKIE = "studentloan-signed-in"


def told(user) -> str:
    """The cookie's value for a user: JSON, percent-encoded so that any name survives."""
    return quote(json.dumps({"user": user.username, "name": user.name}, ensure_ascii=False), safe="")


def init_app(app):
    @app.after_request
    def _tell_the_device(response):
        if request.endpoint in (None, "static"):
            return response  # a static file or a 404 before routing: no user to look up
        value = (
            told(current_user)
            if current_user.is_authenticated and current_user.role in OFFLINE_ROLES
            else None
        )
        if value and request.cookies.get(COOKIE) != value:
            response.set_cookie(
                COOKIE,
                value,
                samesite="Lax",
                secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
                httponly=False,  # read by static/sw/capture.js
            )
        elif not value and COOKIE in request.cookies:
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
