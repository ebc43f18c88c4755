from flask import abort, render_template
from flask_login import current_user

from webapp.models import Application
from webapp.security import student_required
from webapp.services.seasons import current_season
from webapp.services.student_record import student_status

from . import bp


@bp.route("/")
@student_required
def my_record():
    student = current_user.student
    season = current_season(student.centre)
    return render_template("student/record.html", student=student, season=season,
                           status=student_status(student, season))


@bp.route("/applications/<int:application_id>")
@student_required
def application(application_id):
    """Only the signed-in student's own application; anything else is simply not found."""
    app_row = Application.get_or_none((Application.id == application_id)
                                      & (Application.student == current_user.student))
    if app_row is None:
        abort(404)
    return render_template("student/application.html", application=app_row)
