"""Identity checks: accounts that say they are the student of a record made at school, which
the desk links after seeing the ID card and household register (户口本)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms import ButtonForm
from webapp.models import User
from webapp.security import found_or_404, roles_required
from webapp.services.common.errors import RuleError
from webapp.services.identity import accounts

from .blueprint import DESK_ROLES, bp


def _claim_or_404(user_id):
    claim = found_or_404(accounts.waiting_claims(current_user.centre).where(User.id == user_id).first())
    return claim


@bp.route("/identity-checks")
@roles_required(*DESK_ROLES)
def identity_checks():
    return render_template(
        "desk/identity_checks.html",
        claims=list(accounts.waiting_claims(current_user.centre)),
        form=ButtonForm(),
    )


@bp.route("/identity-checks/<int:user_id>/<any(confirm, refuse):answer>", methods=["POST"])
@roles_required(*DESK_ROLES)
def answer_identity_check(user_id, answer):
    if not ButtonForm().validate_on_submit():
        abort(400)
    claim = _claim_or_404(user_id)
    by = current_user._get_current_object()
    try:
        if answer == "confirm":
            accounts.confirm_claim(claim, by)
            flash(_("Linked: %(name)s now sees the record.", name=claim.name), "success")
        else:
            accounts.refuse_claim(claim, by)
            flash(_("Refused: the account is closed."), "info")
    except RuleError as exc:
        flash(str(exc.message), "error")
    return redirect(url_for("desk.identity_checks"))
