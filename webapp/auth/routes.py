from flask import abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from webapp.forms import ButtonForm, send_code_step, submit_form
from webapp.models import Centre
from webapp.navigation import home_endpoint
from webapp.security import same_site_path
from webapp.services.common import audit
from webapp.services.identity import accounts, one_time_codes, sign_in_sessions, throttle
from webapp.vocabulary import CodePurpose

from .blueprint import bp
from .forms import CodeSignInForm, LoginForm, PasswordForm, PasswordResetForm, SignupForm


def _throttle_keys(identifier):
    """The account (however its identifier is typed) and the address, each with its limit."""
    return {
        accounts.throttle_key(identifier): current_app.config["LOGIN_MAX_FAILURES"],
        "ip:" + (request.remote_addr or ""): current_app.config["LOGIN_MAX_FAILURES"] * 10,
    }


def _sign_in(user, remember=False):
    """A new sign-in session on the server, named in this browser's cookies."""
    sign_in_sessions.start(user, remember, request.remote_addr or "", request.headers.get("User-Agent", ""))
    login_user(user, remember=remember)


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        keys = _throttle_keys(form.identifier.data)
        wait, paused = throttle.begin(keys, growing=True)  # counted before the password is checked
        if wait:
            minutes = max(1, -(-wait // 60))
            form.identifier.errors.append(
                _("Too many failed sign-ins. Try again in %(minutes)d minutes.", minutes=minutes)
            )
            return render_template("auth/login.html", form=form, paused=True), 429
        user = accounts.authenticate(form.identifier.data, form.password.data)
        if user is not None:
            throttle.succeeded(keys, forget=[key for key in keys if not key.startswith("ip:")])
            _sign_in(user, remember=form.remember.data)
            audit.record("account.login", user, actor=user)
            return redirect(same_site_path(request.args.get("next")) or url_for(home_endpoint(user)))
        for key in paused:
            # the key names an account id or an address, never the identifier typed
            audit.record(
                "account.sign_in_paused", None, on=key if not key.startswith("id:") else "identifier"
            )
        form.password.errors.append(_("The ID number, mobile or username and password do not match."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
def sign_in_with_code():
    """Staff whose sign-in is paused come in with a code sent to their registered mobile."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = CodeSignInForm()

    def page(status):
        return render_template("auth/login_code.html", form=form), status

    if request.form.get("send_code"):
        return send_code_step(
            form,
            lambda: accounts.send_sign_in_code(form.identifier.data, request.remote_addr or ""),
            page,
            _("If this staff account has a registered mobile, a code is on its way to it."),
        )

    def signed_in(user):
        throttle.clear(list(_throttle_keys(form.identifier.data)))
        _sign_in(user)
        audit.record("account.login", user, actor=user)
        return redirect(url_for(home_endpoint(user)))

    return submit_form(
        form,
        lambda: accounts.authenticate_with_code(form.identifier.data, form.code.data, form.password.data),
        page,
        signed_in,
    )


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = SignupForm()
    centres = list(Centre.select().order_by(Centre.region_code))
    form.centre.choices = [("", _("The centre of my ID number's region"))] + [
        (str(c.id), f"{c.name} ({c.region_code})") for c in centres
    ]

    def page(status):
        return render_template(
            "auth/signup.html",
            form=form,
            choose_centre=len(centres) > 1,
            log_backend=current_app.config["SMS_BACKEND"] == "log",
        ), status

    if request.form.get("send_code"):
        return _send_code(form, centres, page)

    def welcome(user):
        _sign_in(user)
        flash(_("Welcome, %(name)s. Your account is ready.", name=user.name), "success")
        return redirect(url_for(home_endpoint(user)))

    return submit_form(
        form,
        lambda: accounts.register_student(
            form.id_number.data,
            form.name.data,
            form.mobile.data,
            form.password.data,
            form.centre.data if len(centres) > 1 else None,
            form.code.data,
        ),
        page,
        welcome,
    )


def _send_code(form, centres, page):
    """Only the mobile number counts here (the rest of the form is checked on "create"). The
    answer is the same whether or not the number has an account: its owner is told by text."""
    # the chosen centre (or the only one) sees the message in its log
    centre = (
        centres[0] if len(centres) == 1 else next((c for c in centres if str(c.id) == form.centre.data), None)
    )
    return send_code_step(
        form,
        lambda: one_time_codes.request_code(
            form.mobile.data, CodePurpose.SIGN_UP, request.remote_addr or "", centre
        ),
        page,
        _("A code is on its way to this number by text message; enter it below."),
    )


@bp.route("/login/forgot", methods=["GET", "POST"])
def forgot_password():
    """A student who forgot the password sets a new one with a code sent to the account's
    mobile; the page answers alike whether or not the number has an account."""
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    form = PasswordResetForm()

    def page(status):
        return render_template(
            "auth/password_reset.html", form=form, log_backend=current_app.config["SMS_BACKEND"] == "log"
        ), status

    if request.form.get("send_code"):
        return send_code_step(
            form,
            lambda: accounts.send_reset_code(form.mobile.data, request.remote_addr or ""),
            page,
            _("If an account signs in with this number, a code is on its way to it by text message."),
        )

    def changed(user):
        throttle.clear(list(_throttle_keys(user.mobile)))
        flash(
            _("Your new password is set, and every device signed in before is signed out. Sign in with it."),
            "success",
        )
        return redirect(url_for("auth.login"))

    return submit_form(
        form,
        lambda: accounts.reset_password(
            form.mobile.data, form.code.data, form.password.data, form.confirm.data
        ),
        page,
        changed,
    )


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Ends this session on the server, so every copy of its cookies stops working too."""
    user = current_user._get_current_object()
    audit.record("account.logout", user)
    if user.sign_in_session_id:
        sign_in_sessions.end(user, user.sign_in_session_id)
    logout_user()
    session.clear()  # nothing of this user's visit stays for the next one on this browser
    flash(_("You have signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """One's own new password (required after an admin's temporary one); other sessions end."""
    form = PasswordForm()
    user = current_user._get_current_object()

    def changed(user):
        flash(_("Your password is changed; other devices are signed out."), "success")
        return redirect(url_for(home_endpoint(user)))

    return submit_form(
        form,
        lambda: accounts.change_password(user, form.current.data, form.password.data, form.confirm.data),
        lambda status: (
            render_template("auth/password.html", form=form, forced=user.must_change_password),
            status,
        ),
        changed,
    )


@bp.before_app_request
def _temporary_password_first():
    """A temporary password from an admin is changed before anything else."""
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in ("auth.change_password", "auth.logout", "static", "main.set_language")
    ):
        if request.blueprint == "api":  # the offline outbox keeps its records and says why
            return jsonify(error="password_change_required", message=_("Change your password first.")), 403
        return redirect(url_for("auth.change_password"))
    return None


@bp.route("/account/sessions")
@login_required
def sessions():
    """The devices signed in to this account, to end the ones the user does not recognise."""
    user = current_user._get_current_object()
    return render_template(
        "auth/sessions.html",
        sessions=list(sign_in_sessions.live(user)),
        this_session=user.sign_in_session_id,
        device_name=sign_in_sessions.device_name,
        form=ButtonForm(),
    )


@bp.route("/account/sessions/<int:session_id>/end", methods=["POST"])
@login_required
def end_session(session_id):
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    if session_id == user.sign_in_session_id:
        abort(400)  # this device signs out with the header's button
    if sign_in_sessions.end(user, session_id):
        flash(_("That device is signed out."), "success")
    return redirect(url_for("auth.sessions"))


@bp.route("/account/sessions/end-others", methods=["POST"])
@login_required
def end_other_sessions():
    if not ButtonForm().validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    ended = sign_in_sessions.end_all(user, keep_current=True)
    audit.record("account.sessions_ended", user, actor=user, count=ended)
    flash(_("Every other device is signed out."), "success")
    return redirect(url_for("auth.sessions"))
