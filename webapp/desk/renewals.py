"""Renewal declarations sent online, answered at the desk."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.models import Application
from webapp.security import own_centre_or_404, roles_required
from webapp.services.casework import renewals
from webapp.services.casework.applications import StepErrors
from webapp.services.casework.student_record import previous_loan
from webapp.services.common import audit
from webapp.vocabulary import Service

from .blueprint import DESK_ROLES, bp
from .forms import RenewalDecisionForm


@bp.route("/renewals")
@roles_required(*DESK_ROLES)
def renewal_queue():
    return render_template("desk/renewals.html", declarations=list(renewals.pending(current_user.centre)))


@bp.route("/renewals/<int:application_id>", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def renewal_review(application_id):
    """One declaration next to last season's loan; approve it or return it with a reason."""
    application = own_centre_or_404(Application, application_id, Application.kind == Service.RENEWAL)
    audit.record_viewed(application)
    form = RenewalDecisionForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            if request.form.get("decision") == "return":
                renewals.return_declaration(application, user, form.reason.data)
                flash(_("Returned to %(name)s with your reason.", name=application.student.name), "info")
            else:
                renewals.approve(application, user, form.needs_window.data)
                flash(_("Renewal of %(name)s approved.", name=application.student.name), "success")
        except StepErrors as exc:
            form.reason.errors.append(exc.errors["reason"])
            status = 422
        except renewals.RenewalError as exc:
            flash(str(exc.message), "warning")
            status = 409
        else:
            return redirect(url_for("desk.renewal_queue"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "desk/renewal.html",
        application=application,
        form=form,
        previous=previous_loan(application.student, application.season),
    ), status
