import segno
from flask import render_template, request
from flask_login import current_user

from webapp import downloads
from webapp.clock import local_today
from webapp.forms import submit_form
from webapp.models import Centre, DutyAssignment, School, Student
from webapp.public_address import public_url
from webapp.security import own_centre_or_404, roles_required
from webapp.services.booking import quotas
from webapp.services.casework import materials
from webapp.services.centre.seasons import centre_counts, current_season
from webapp.services.desk.tickets import entrance_token
from webapp.services.province import centres, cross_centre
from webapp.services.reports import exports
from webapp.vocabulary import Role

from .blueprint import bp
from .forms import NewCentreForm


def _season_context():
    centre = current_user.centre
    season = current_season(centre)
    return {
        "centre": centre,
        "season": season,
        "quotas": quotas.table(season) if season else {},
        "counts": centre_counts(centre),
    }


@bp.route("/admin")
@roles_required(Role.ADMIN)
def admin_home():
    return render_template("staff/admin.html", **_season_context())


@bp.route("/leader")
@roles_required(Role.LEADER, Role.ADMIN)
def leader_home():
    duty = DutyAssignment.get_or_none(
        (DutyAssignment.centre == current_user.centre) & (DutyAssignment.day == local_today())
    )
    overdue = [item for item in materials.owed_in_centre(current_user.centre) if item.due_on < local_today()]
    return render_template("staff/leader.html", duty=duty, overdue=overdue, **_season_context())


@bp.route("/outreach")
@roles_required(Role.OUTREACH)
def outreach_home():
    schools = School.select().where(School.centre == current_user.centre, School.active).order_by(School.name)
    return render_template("staff/outreach.html", schools=schools)


@bp.route("/province", methods=["GET", "POST"])
@roles_required(Role.PROVINCE)
def province_home():
    """Every centre with its figures, and adding a centre."""
    form = NewCentreForm()

    def page(status, created=None):
        return render_template(
            "staff/province.html",
            form=NewCentreForm(formdata=None) if created else form,
            centres=cross_centre.overview(),
            years=cross_centre.loan_years(),
            created=created,
        ), status

    # the page itself, not a redirect, shows the temporary password once: never in a cookie
    return submit_form(
        form,
        lambda: centres.create_centre(
            form.region_code.data,
            form.name.data,
            current_user._get_current_object(),
            admin_username=form.admin_username.data or "",
            admin_name=form.admin_name.data,
        ),
        page,
        lambda created: page(201, created),
    )


@bp.route("/students/<int:student_id>")
@roles_required(Role.DESK, Role.LEADER, Role.ADMIN, Role.OUTREACH)
def student_detail(student_id):
    """A student of the staff member's own centre; other centres' students are not found."""
    student = own_centre_or_404(Student, student_id)
    return render_template("staff/student.html", student=student)


@bp.route("/entrance")
@roles_required(Role.DESK, Role.LEADER, Role.ADMIN)
def entrance_code():
    """Today's check-in code, shown or printed at the entrance; it changes every day."""
    today = local_today()
    url = public_url("student.check_in", token=entrance_token(current_user.centre, today))
    return render_template(
        "staff/entrance.html",
        today=today,
        url=url,
        qr=segno.make(url, error="m").svg_data_uri(scale=8, border=2),
    )


@bp.route("/province/students")
@roles_required(Role.PROVINCE)
def province_students():
    """A student looked up across every centre (name or ID number); every search is audited."""
    query = request.args.get("q", "").strip()
    found = cross_centre.find_students(query, current_user._get_current_object()) if query else []
    return render_template("staff/province_students.html", query=query, found=found)


@bp.route("/province/loans-<int:year>.<any(csv, xlsx):fmt>")
@roles_required(Role.PROVINCE)
def province_loans(year, fmt):
    """Every centre's accepted loans of a year in one file, a column naming the centre."""
    rows = cross_centre.accepted_loans(year)
    exports.record(current_user._get_current_object(), "province_loans", fmt, year=year)
    name = f"accepted-loans-{year}-all-centres-{local_today().isoformat()}"
    return downloads.spreadsheet(cross_centre.LOAN_COLUMNS, rows, name, fmt, title=f"loans {year}")


@bp.route("/province/statistics-<int:year>.xlsx")
@roles_required(Role.PROVINCE)
def province_statistics(year):
    """The year's figures of every centre and the total, in the shape the province reports."""
    rows = cross_centre.statistics(year, list(Centre.select().order_by(Centre.region_code)))
    exports.record(current_user._get_current_object(), "province_statistics", "xlsx", year=year)
    name = f"loan-statistics-{year}-all-centres-{local_today().isoformat()}"
    return downloads.spreadsheet(
        cross_centre.STATISTICS_COLUMNS, rows, name, "xlsx", title=f"statistics {year}"
    )
