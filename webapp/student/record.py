"""The student's record: where they stand, their reminders, an application read back."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import ButtonForm
from webapp.models import Application
from webapp.security import found_or_404, student_required
from webapp.services.booking import appointments
from webapp.services.casework import materials
from webapp.services.casework.materials import MATERIAL_LABELS
from webapp.services.casework.student_record import student_status
from webapp.services.centre.seasons import current_season
from webapp.services.messaging import message_preferences

from .blueprint import bp


@bp.route("/")
@student_required
def my_record():
    student = current_user.student
    season = current_season(student.centre)
    status = student_status(student, season)
    return render_template(
        "student/record.html",
        student=student,
        season=season,
        status=status,
        owed=materials.outstanding(status.application) if status.application else [],
        is_overdue=materials.is_overdue,
        contract_change_open=appointments.contract_change_open(student, season, local_today()),
        material_labels=MATERIAL_LABELS,
    )


@bp.route("/reminders", methods=["POST"])
@student_required
def reminders():
    """Turn the timed text-message reminders on or off (one-time codes always come)."""
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    wanted = request.form.get("wanted") == "on"
    message_preferences.set_reminders(current_user.student, wanted)
    flash(
        _("Reminders by text message are on.") if wanted else _("Reminders by text message are off."),
        "success",
    )
    return redirect(url_for("student.my_record") + "#reminders-heading")


@bp.route("/applications/<int:application_id>")
@student_required
def application(application_id):
    """Only the signed-in student's own application; anything else is simply not found."""
    app_row = found_or_404(
        Application.get_or_none(
            (Application.id == application_id) & (Application.student == current_user.student)
        )
    )
    return render_template("student/application.html", application=app_row)
