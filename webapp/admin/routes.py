from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import submit_form
from webapp.input_checks import takes_large_body
from webapp.models import School
from webapp.security import own_centre_or_404, roles_required
from webapp.services.desk import duty
from webapp.services.outreach import rosters as roster_service
from webapp.vocabulary import Role

from .blueprint import bp
from .forms import DutyForm, RosterUploadForm


@bp.route("/rosters", methods=["GET", "POST"])
@takes_large_body
@roles_required(Role.ADMIN)
def rosters():
    """Upload a school's roster; a file with any bad row is reported back and not imported."""
    centre = current_user.centre
    schools = {school.id: school for school in roster_service.active_schools(centre)}
    form = RosterUploadForm()
    form.school.choices = [(school.id, school.name) for school in schools.values()]
    status, report = 200, None
    if form.validate_on_submit():
        school = schools[form.school.data]
        upload = form.file.data
        try:
            result = roster_service.import_roster(
                school, upload.filename, upload.stream, current_user._get_current_object()
            )
        except roster_service.RosterError as exc:
            form.file.errors.append(exc.message)
            status = 422
        else:
            if result.ok:
                flash(
                    _(
                        "Roster of %(school)s imported. Rows: %(rows)d. Pre-registrations on the "
                        "roster: %(matched)d.",
                        school=school.name,
                        rows=result.rows,
                        matched=result.matched,
                    ),
                    "success",
                )
                return redirect(url_for("admin.school_roster", school_id=school.id))
            report, status = result.errors, 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "admin/rosters.html",
        form=form,
        report=report,
        nothing_imported=status == 422,
        overview=roster_service.roster_overview(centre),
    ), status


@bp.route("/rosters/<int:school_id>")
@roles_required(Role.ADMIN)
def school_roster(school_id):
    """One school of the admin's centre; other centres' schools are not found."""
    school = own_centre_or_404(School, school_id)
    return render_template(
        "admin/roster.html", school=school, entries=list(roster_service.roster_for_school(school))
    )


@bp.route("/duty", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def duty_rota():
    """Assign the duty leader of a day; the desk pages and the waiting-room screen show them."""
    centre = current_user.centre
    form = DutyForm(day=local_today())
    form.leader.choices = [("", _("Nobody"))] + [(str(u.id), u.name) for u in duty.eligible_leaders(centre)]

    def saved(_assignment):
        flash(_("Duty rota saved."), "success")
        return redirect(url_for("admin.duty_rota"))

    return submit_form(
        form,
        lambda: duty.assign(centre, form.day.data, form.leader.data, current_user._get_current_object()),
        lambda status: (
            render_template("admin/duty.html", form=form, rota=duty.rota(centre, local_today())),
            status,
        ),
        saved,
    )
