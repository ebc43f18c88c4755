import json
from pathlib import Path

from flask import Response, current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user

from webapp.db import without_database
from webapp.i18n import LANGUAGE_COOKIE
from webapp.models import Centre
from webapp.navigation import home_endpoint
from webapp.security import same_site_path
from webapp.services.booking import quotas
from webapp.services.casework.materials import materials_to_bring
from webapp.services.centre.seasons import current_season, public_centre
from webapp.services.messaging import message_preferences
from webapp.services.ops import readiness
from webapp.services.outreach.offline_shell import precache_urls, shell_version

from .blueprint import bp

ONE_YEAR = 365 * 24 * 3600


@bp.route("/")
def index():
    """Where each role starts."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return redirect(url_for("auth.login"))


@bp.route("/start")
def start():
    """The installed app's start (static/manifest.webmanifest): online, where the role starts;
    offline, the service worker answers it (static/sw/sw.js)."""
    return index()


@bp.route("/language", methods=["POST"])
def set_language():
    """Remember the chosen language in the session and in a cookie that outlives it."""
    choice = request.form.get("language", "")
    response = redirect(same_site_path(request.form.get("next")) or url_for("main.index"))
    if choice in current_app.config["LANGUAGES"]:
        session["locale"] = choice
        if current_user.is_authenticated and current_user.student_id:
            message_preferences.set_language(current_user.student, choice)
        response.set_cookie(
            LANGUAGE_COOKIE,
            choice,
            max_age=ONE_YEAR,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.route("/policy")
def policy():
    """The season's rules in plain words, for students and parents, without signing in."""
    centres = list(Centre.select().order_by(Centre.region_code))
    own = current_user.centre if current_user.is_authenticated else None
    centre = public_centre(centres, request.args.get("centre", ""), own)
    season = current_season(centre)
    return render_template(
        "main/policy.html",
        centres=centres,
        centre=centre,
        season=season,
        quotas=quotas.table(season) if season else {},
        materials=materials_to_bring(),
    )


@bp.route("/offline")
def offline():
    """What works without a network; the service worker keeps it and shows it offline."""
    return render_template("main/offline.html", offline_shell=True)


@bp.route("/favicon.ico")
def favicon():
    """Browsers ask for it whatever the page links; the app's icon."""
    return current_app.send_static_file("icons/icon-192.png")


@bp.route("/healthz")
@without_database
def health():
    """Alive: the process answers (it does not ask the database)."""
    return jsonify(status="ok")


@bp.route("/readyz")
@without_database
def ready():
    """Ready to serve: the database and the task queue answer, every migration is applied."""
    checks = readiness.check()
    all_ok = all(answer == readiness.OK for answer in checks.values())
    return jsonify(status="ready" if all_ok else "not ready", checks=checks), 200 if all_ok else 503


@bp.route("/sw.js")
def service_worker():
    """The hand-written worker, prefixed with this release's shell version and URL list.

    Served from the root so that its scope covers the whole app; never cached by HTTP, so
    the browser notices a new release at once.
    """
    source = (Path(current_app.static_folder) / "sw" / "sw.js").read_text(encoding="utf-8")
    header = (
        f"const SHELL_VERSION = {json.dumps(shell_version())};\n"
        f"const SHELL_URLS = {json.dumps(precache_urls())};\n"
    )
    response = Response(header + source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response
