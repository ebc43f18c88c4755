"""The first-loan application: a new stage of study, the steps, and sending it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.application_steps import pages as application_steps
from webapp.forms import ButtonForm, choices, submit_form
from webapp.i18n import (
    NEW_STAGE_LABELS,
)
from webapp.security import found_or_404, student_required
from webapp.services.casework import applications, loan_rules
from webapp.services.casework.student_record import previous_loan, student_application
from webapp.services.centre.seasons import current_season
from webapp.vocabulary import Service

from .blueprint import bp
from .forms import NewStageForm


def _draft():
    """This season's first-loan application; a student with a loan from an earlier season and
    no first loan this season is sent to the renewal instead of starting one by accident."""
    student = current_user.student
    season = found_or_404(current_season(student.centre))
    if student_application(student, season) is None:
        loan = previous_loan(student, season)
        if loan is not None:
            ended = loan_rules.study_ended(loan, season.year)
            abort(redirect(url_for("student.new_stage" if ended else "student.renewal")))
    return applications.start(student, season)


@bp.route("/application/new-stage", methods=["GET", "POST"])
@student_required
def new_stage():
    """A student who borrowed for an earlier stage starts a first loan for the new one
    (专升本, master's, doctorate) instead of renewing the old loan."""
    student = current_user.student
    season = found_or_404(current_season(student.centre))
    if student_application(student, season) is not None:
        return redirect(url_for("student.application_overview"))
    form = NewStageForm()
    form.new_stage.choices = choices(NEW_STAGE_LABELS)
    return submit_form(
        form,
        lambda: applications.start(student, season, form.new_stage.data),
        lambda status: (
            render_template("student/new_stage.html", form=form, previous=previous_loan(student, season)),
            status,
        ),
        lambda _application: redirect(url_for("student.application_overview")),
    )


@bp.route("/application")
@student_required
def application_overview():
    application = _draft()
    return render_template(
        "student/application_overview.html",
        application=application,
        done=applications.completed_steps(application),
        steps=applications.steps_for(application),
        form=ButtonForm(),
    )


@bp.route("/application/<step>", methods=["GET", "POST"])
@student_required
def application_step(step):
    """One step of the application; each step is saved on its own."""
    back = url_for("student.application_overview")
    return application_steps.step_page(_draft(), step, back_url=back, done_url=back)


@bp.route("/application/submit", methods=["POST"])
@student_required
def application_submit():
    application = _draft()
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        applications.submit(application)
    except applications.StepErrors as exc:
        for message in exc.errors.values():
            flash(str(message), "warning")
        return redirect(url_for("student.application_overview")), 303
    flash(_("Your application is submitted. Now book a half-day at the centre."), "success")
    return redirect(url_for("student.book", service=Service.FIRST_LOAN))
