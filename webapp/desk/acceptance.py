"""The desk's view of one application: materials, corrections, contract number, acceptance."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.application_steps import pages as steps
from webapp.clock import local_today
from webapp.forms import ButtonForm, show_errors
from webapp.i18n import HALF_DAY_LABELS
from webapp.models import Application, IssuedDocument, OwedMaterial
from webapp.security import own_centre_or_404, roles_required
from webapp.services.casework import applications, certificates, materials
from webapp.services.casework.materials import MATERIAL_LABELS
from webapp.services.common import audit
from webapp.services.desk import acceptance, contract_later
from webapp.services.desk.acceptance import CORRECTABLE_LABELS
from webapp.services.national import reconciliation
from webapp.vocabulary import DocumentKind, Role

from .blueprint import DESK_ROLES, bp
from .forms import ContractLaterForm, DeskCheckForm, RevokeForm


def _forms(case):
    check = DeskCheckForm(
        prefix="a",
        materials=sorted(case.checked),
        contract_number=case.application.contract_number,
        receipt_code=case.application.receipt_code,
    )
    check.materials.choices = [(key, str(MATERIAL_LABELS[key])) for key in case.materials]
    check.field.choices = [(key, str(label)) for key, label in CORRECTABLE_LABELS.items()]
    later = ContractLaterForm(prefix="l")
    later.half_day.choices = [(key, str(label)) for key, label in HALF_DAY_LABELS.items()]
    return {"check_form": check, "later_form": later, "revoke_form": RevokeForm(prefix="r")}


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def application(application_id):
    application = own_centre_or_404(Application, application_id)
    audit.record_viewed(application)
    forms, status = _forms(acceptance.desk_case(application)), 200
    action = request.form.get("action")
    if request.method == "POST":
        form = forms["later_form"] if action == "later" else forms["check_form"]
        if action not in ("save", "accept", "later") or not form.validate_on_submit():
            abort(400)
        try:
            _step(application, action, form, current_user._get_current_object())
        except (acceptance.AcceptanceErrors, contract_later.ContractLaterError) as exc:
            show_errors(form, exc.errors)
            status = exc.status
        else:
            return redirect(url_for("desk.application", application_id=application.id))
    return _page(application, forms, status)


def _step(application, action, form, user):
    """Save the check (and accept), or book the return visit; flashes what was done."""
    if action == "later":
        visit = contract_later.defer_contract(application, form.day.data, form.half_day.data, user)
        flash(
            _(
                "Papers received. The student comes back on %(day)s (%(half)s) to sign; booking code %(code)s.",
                day=visit.day.isoformat(),
                half=HALF_DAY_LABELS[visit.half_day],
                code=visit.code,
            ),
            "success",
        )
        return
    corrected = acceptance.save_desk_check(
        application, form.materials.data or [], form.field.data, form.value.data, user
    )
    if corrected:
        form.value.data = ""  # done: a refused accept below must not offer it again
    if action == "save":
        flash(
            _("Saved; the old value is kept in the audit log.") if corrected else _("Materials saved."),
            "success",
        )
        return
    issued = acceptance.accept(
        application,
        form.contract_number.data,
        user,
        form.papers_follow.data,
        form.papers_due.data,
        receipt_code=form.receipt_code.data,
    )
    flash(
        _("Accepted. Certificate %(number)s is issued; print it for the student.", number=issued.number),
        "success",
    )
    for message in reconciliation.desk_mismatches(
        application, form.contract_number.data, form.receipt_code.data
    ):
        flash(message, "warning")


def _page(application, forms, status=200):
    check = forms["check_form"]
    return render_template(
        "desk/application.html",
        case=acceptance.desk_case(application),
        field_labels=CORRECTABLE_LABELS,
        material_labels=MATERIAL_LABELS,
        return_visit=contract_later.return_visit(application),
        steps=applications.steps_for(application),
        done=applications.completed_steps(application),
        national_mismatches=reconciliation.desk_mismatches(
            application, check.contract_number.data, check.receipt_code.data
        ),
        **forms,
    ), status


@bp.route("/applications/<int:application_id>/national-check")
@roles_required(*DESK_ROLES)
def national_check(application_id):
    """What the imported national list says against the codes being typed (JSON for the page)."""
    application = own_centre_or_404(Application, application_id)
    messages = reconciliation.desk_mismatches(
        application, request.args.get("contract_number", "")[:64], request.args.get("receipt_code", "")[:64]
    )
    return jsonify(messages=[str(message) for message in messages])


@bp.route("/applications/<int:application_id>/steps/<step>", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def application_step(application_id, step):
    """A step of the application typed at the desk, for a student without a phone."""
    application = own_centre_or_404(Application, application_id)
    back = url_for("desk.application", application_id=application.id)
    return steps.step_page(application, step, back_url=back, done_url=back)


@bp.route("/applications/<int:application_id>/submit", methods=["POST"])
@roles_required(*DESK_ROLES)
def submit_application(application_id):
    """Submit an application typed at the desk; then it is checked and accepted as any other."""
    application = own_centre_or_404(Application, application_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        applications.submit(application)
    except applications.StepErrors as exc:
        for message in exc.errors.values():
            flash(str(message), "warning")
        return _page(application, _forms(acceptance.desk_case(application)), 422)
    flash(_("The application is submitted; check the materials and accept it."), "success")
    return redirect(url_for("desk.application", application_id=application.id))


@bp.route("/owed-papers/<int:item_id>/received", methods=["POST"])
@roles_required(*DESK_ROLES)
def receive_owed_paper(item_id):
    """The student handed in a paper owed since acceptance."""
    item = OwedMaterial.get_or_none(OwedMaterial.id == item_id)
    if item is None or item.application.centre_id != current_user.centre_id:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    materials.receive(item, current_user._get_current_object())
    flash(_("Received: %(paper)s.", paper=MATERIAL_LABELS[item.material]), "success")
    if request.form.get("next") == "owed":
        return redirect(url_for("desk.owed_papers"))
    return redirect(url_for("desk.application", application_id=item.application_id))


@bp.route("/owed-papers")
@roles_required(*DESK_ROLES)
def owed_papers():
    """Papers still owed after acceptance, the overdue ones first, for the duty leader."""
    return render_template(
        "desk/owed.html",
        items=list(materials.owed_in_centre(current_user.centre)),
        material_labels=MATERIAL_LABELS,
        today=local_today(),
    )


@bp.route("/applications/<int:application_id>/reissue", methods=["POST"])
@roles_required(Role.LEADER, Role.ADMIN)
def reissue_certificate(application_id):
    application = own_centre_or_404(Application, application_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        issued = certificates.reissue(application, current_user._get_current_object())
    except ValueError as exc:
        flash(str(exc.args[0]), "warning")
        return _page(application, _forms(acceptance.desk_case(application)), 409)
    flash(
        _(
            "Certificate %(number)s is issued in place of the revoked one; print it for the student.",
            number=issued.number,
        ),
        "success",
    )
    return redirect(url_for("desk.application", application_id=application.id))


@bp.route("/certificates/<int:certificate_id>/revoke", methods=["POST"])
@roles_required(Role.LEADER, Role.ADMIN)
def revoke_certificate(certificate_id):
    certificate = own_centre_or_404(
        IssuedDocument, certificate_id, IssuedDocument.kind == DocumentKind.CERTIFICATE
    )
    application = own_centre_or_404(Application, certificate.application_id)
    forms = _forms(acceptance.desk_case(application))
    form = forms["revoke_form"]
    if not form.validate_on_submit():
        abort(400)
    try:
        certificates.revoke(certificate, form.reason.data, current_user._get_current_object())
    except ValueError as exc:
        form.reason.errors.append(exc.args[0])
        return _page(application, forms, 422)
    flash(
        _("Certificate %(number)s is revoked; the public check says so.", number=certificate.number), "info"
    )
    return redirect(url_for("desk.application", application_id=certificate.application_id))
