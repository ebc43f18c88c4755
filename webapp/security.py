"""Sign-in plumbing (Flask-Login, CSRF) and access rules as named decorators."""

from functools import wraps

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFProtect

from webapp.models import User
from webapp.vocabulary import Role

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to continue.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"
csrf = CSRFProtect()


@login_manager.user_loader
def load_user(session_id):
    """The user of a session or remember-me cookie, while its session version is current."""
    user_id, _, version = str(session_id).partition("-")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = User.get_or_none(User.id == int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def end_sessions(user):
    """Every session and remember-me cookie of the user stops working."""
    User.update(session_version=User.session_version + 1).where(User.id == user.id).execute()
    user.session_version += 1


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


def own_centre_or_404(model, record_id, *conditions):
    """The record with that id in the signed-in staff member's centre (and meeting conditions);
    another centre's records simply do not exist for them."""
    record = model.get_or_none((model.id == record_id) & (model.centre == current_user.centre), *conditions)
    if record is None:
        abort(404)
    return record


@login_manager.unauthorized_handler
def _unauthorized():
    """JSON 401 for the API (the offline page keeps its outbox and asks to sign in again)."""
    if request.blueprint == "api":
        return jsonify(error="unauthorized", message="Sign in again to continue."), 401
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(url_for(login_manager.login_view, next=request.full_path.rstrip("?")))


def student_required(view):
    """Only a signed-in student with a linked student record."""
    return roles_required(Role.STUDENT)(view)


def _reject_nul_characters():
    """No text field legitimately holds NUL, and PostgreSQL cannot store it: answer 400."""
    if any("\x00" in value for value in request.values.values()):
        abort(400)


def init_app(app):
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(_reject_nul_characters)
