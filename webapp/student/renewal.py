"""The renewal declaration for the coming academic year."""

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms import choices, send_code_step, submit_form, whole_number
from webapp.i18n import (
    STUDY_PROGRESS_LABELS,
)
from webapp.security import found_or_404, student_required
from webapp.services.casework import renewals
from webapp.services.casework.student_record import previous_loan
from webapp.services.centre.seasons import current_season
from webapp.services.identity import one_time_codes
from webapp.vocabulary import CodePurpose, StudyProgress

from .blueprint import bp
from .forms import RenewalForm


@bp.route("/renewal", methods=["GET", "POST"])
@student_required
def renewal():
    """The renewal declaration, filled from last season's loan; the desk's answer shows here."""
    student = current_user.student
    season = found_or_404(current_season(student.centre))
    try:
        application = renewals.start_renewal(student, season)
    except renewals.RenewalError as exc:
        return render_template(
            "errors/error.html", status=exc.status, title=_("Renewal"), message=exc.message
        ), exc.status
    form = RenewalForm(obj=_renewal_values(application))
    form.study_progress.choices = choices(STUDY_PROGRESS_LABELS)

    def sent(_result):
        flash(_("Your renewal declaration is sent. The centre's answer will appear here."), "success")
        return redirect(url_for("student.renewal"))

    def page(status):
        return render_template(
            "student/renewal.html",
            application=application,
            form=form,
            previous=previous_loan(student, season),
        ), status

    if request.form.get("send_code"):
        return send_code_step(
            form,
            lambda: one_time_codes.request_code(
                form.mobile.data, CodePurpose.CHANGE_MOBILE, request.remote_addr or "", student.centre
            ),
            page,
            _("A code is on its way to the new number by text message; enter it below."),
        )

    return submit_form(
        form,
        lambda: renewals.declare(
            application,
            whole_number(form.year_of_study.data),
            form.study_progress.data,
            whole_number(form.amount.data),
            form.mobile.data,
            form.co_borrower_mobile.data,
            form.contact_note.data,
            form.mobile_code.data,
            form.one_loan.data is True,
        ),
        page,
        sent,
    )


def _renewal_values(application):
    return SimpleNamespace(
        year_of_study=application.year_of_study,
        study_progress=application.study_progress or StudyProgress.ON_TRACK,
        amount=application.amount_requested,
        mobile=application.declared_mobile,
        co_borrower_mobile=application.declared_co_borrower_mobile,
        contact_note=application.contact_note,
        one_loan=application.one_loan_declared,
    )
