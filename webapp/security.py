"""Sign-in plumbing (Flask-Login, CSRF) and access rules as named decorators."""

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, user_loaded_from_cookie
from flask_wtf.csrf import CSRFProtect

from webapp.errors import wants_json
from webapp.services.identity import accounts, sign_in_sessions
from webapp.vocabulary import ClaimReason, Role

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
csrf = CSRFProtect()


def same_site_path(target: str | None) -> str | None:
    """target when it is a path of this site, else None: the only kind of "next" a redirect
    follows. Browsers drop tabs and line breaks and read a backslash as a slash, so "/\t/evil",
    "/\\evil" and "//evil" all lead away; any of them, or a scheme or host, is refused."""
    if not target or not target.startswith("/") or "\\" in target:
        return None
    if any(ord(c) < 0x20 or ord(c) == 0x7F or c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


@login_manager.user_loader
def load_user(cookie_id):
    """The user of a session or remember-me cookie ("user id-session key") while that sign-in
    session lasts (services/identity/sign_in_sessions.py)."""
    user_id, _, key = str(cookie_id).partition("-")
    return sign_in_sessions.user_for(user_id, key)


def _rotate_remember_key(app, user):
    """A remember-me cookie that brought a browser back is replaced by a new one, so a copy
    taken earlier stops working."""
    sign_in_sessions.rotate(user)
    session["_user_id"] = user.get_id()
    session["_remember"] = "set"


user_loaded_from_cookie.connect(_rotate_remember_key)


def roles_required(*roles):
    """Only signed-in users holding one of roles; others get 403, anonymous users sign in."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def viewed_centre():
    """The centre a page shows: one's own; for the province, the centre asked for (?centre=id),
    which must exist. No one else can choose another centre."""
    from webapp.input_checks import query_id
    from webapp.models import Centre
    from webapp.vocabulary import Role

    if current_user.role != Role.PROVINCE:
        return current_user.centre
    return found_or_404(Centre.get_or_none(Centre.id == query_id("centre")))


def own_centre_or_404(model, record_id, *conditions):
    """The record with that id in the signed-in staff member's centre (and meeting conditions);
    another centre's records simply do not exist for them."""
    return found_or_404(
        model.get_or_none((model.id == record_id) & (model.centre == current_user.centre), *conditions)
    )


def found_or_404(record):
    """The record a view looked up, or 404 when there is none: the one answer to a record that
    does not exist, or is not the viewer's to see."""
    if record is None:
        abort(404)
    return record


@login_manager.unauthorized_handler
def _unauthorized():
    """JSON 401 for the API (the offline page keeps its outbox and asks to sign in again)."""
    if wants_json():
        return jsonify(error="unauthorized", message=str(_l("Sign in again to continue."))), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))


def student_required(view):
    """Only a signed-in student whose account is linked to the student's record; an account
    waiting for the desk to confirm the person sees what to bring (JSON 403 for the API)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if (
            current_user.is_authenticated
            and current_user.role == Role.STUDENT
            and current_user.student_id is None
        ):
            if request.blueprint == "api":
                return jsonify(
                    error="identity_to_confirm", message=str(_l("The centre has not confirmed you yet."))
                ), 403
            reason = accounts.waiting_reason(current_user._get_current_object())
            why = _l(ClaimReason(reason).msgid) if reason else ""
            return render_template("student/waiting.html", why=why), 403
        return view(*args, **kwargs)

    return roles_required(Role.STUDENT)(wrapped)


def init_app(app):
    login_manager.init_app(app)
    csrf.init_app(app)
