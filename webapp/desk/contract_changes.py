"""A contract change (合同变更) at the window: choose what changes, tick its papers, give the new
values; the old and new values go to the audit log."""

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms import submit_form
from webapp.i18n import CONTRACT_CHANGE_LABELS, RELATION_LABELS
from webapp.models import Application
from webapp.security import own_centre_or_404, roles_required
from webapp.services.casework import contract_changes
from webapp.services.casework.materials import CHANGE_MATERIALS, MATERIAL_LABELS
from webapp.vocabulary import ContractChangeKind

from .blueprint import DESK_ROLES, bp
from .forms import ContractChangeForm

FIELDS = {
    ContractChangeKind.CO_BORROWER: ("name", "relation", "id_number", "mobile"),
    ContractChangeKind.UNIVERSITY: ("university", "study_years"),
    ContractChangeKind.AMOUNT: ("amount",),
}
WHOLE_RE = re.compile(r"^\d{1,7}$")


def _whole(text):
    text = (text or "").strip().replace(",", "")
    return int(text) if WHOLE_RE.match(text) else None


@bp.route("/applications/<int:application_id>/contract-change", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def contract_change(application_id):
    application = own_centre_or_404(Application, application_id)
    if not contract_changes.changeable(application):
        abort(404)
    kind = request.args.get("kind", "")
    if kind and kind not in ContractChangeKind.values():
        abort(404)
    form = ContractChangeForm(
        university=application.university,
        study_years=str(application.study_years or ""),
        amount=str(application.amount_requested or ""),
    )
    form.relation.choices = [(key, str(label)) for key, label in RELATION_LABELS.items()]
    if kind:
        form.materials.choices = [(key, str(MATERIAL_LABELS[key])) for key in CHANGE_MATERIALS[kind]]

    def page(status):
        return render_template(
            "desk/contract_change.html",
            application=application,
            kind=kind,
            form=form,
            fields=FIELDS.get(kind, ()),
            kinds=CONTRACT_CHANGE_LABELS,
            history=contract_changes.history(application),
            season=application.season,
        ), status

    def action():
        if not kind:
            abort(400)
        values = {
            "name": form.name.data,
            "relation": form.relation.data,
            "id_number": form.id_number.data,
            "mobile": form.mobile.data,
            "university": form.university.data,
            "study_years": _whole(form.study_years.data),
            "amount": _whole(form.amount.data),
        }
        return contract_changes.change_contract(
            application, kind, values, form.materials.data, form.note.data, current_user._get_current_object()
        )

    def done(change):
        flash(
            _(
                "%(change)s recorded; the old values are kept. Make the same change in the national system.",
                change=CONTRACT_CHANGE_LABELS[change.kind],
            ),
            "success",
        )
        return redirect(url_for("desk.application", application_id=application.id))

    return submit_form(form, action, page, done)
