from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user

from webapp.i18n import LANGUAGE_COOKIE
from webapp.navigation import home_endpoint

from . import bp

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return redirect(url_for("auth.login"))


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen language in the session and in a cookie that outlives it."""
    choice = request.form.get("language", "")
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("main.index")
    response = redirect(target)
    if choice in current_app.config["LANGUAGES"]:
        session["locale"] = choice
        response.set_cookie(LANGUAGE_COOKIE, choice, max_age=ONE_YEAR, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.route("/healthz")
def health():
    return jsonify(status="ok")
