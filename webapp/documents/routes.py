from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.input_checks import query_date
from webapp.models import Application, PreRegistration
from webapp.security import found_or_404, own_centre_or_404, roles_required, student_required
from webapp.services.casework.certificates import current_certificate
from webapp.services.common.errors import RuleError
from webapp.services.printing import print_jobs
from webapp.services.printing.pdf import FontsMissing
from webapp.vocabulary import ApplicationStatus, DocumentKind, HalfDay, PreregStatus, Role

from .blueprint import bp

DESK_ROLES = (Role.DESK, Role.LEADER, Role.ADMIN)
SLIP_ROLES = (Role.OUTREACH, Role.DESK, Role.LEADER, Role.ADMIN)
BATCH_KINDS = {
    DocumentKind.CERTIFICATE: print_jobs.certificate,
    DocumentKind.APPLICATION_FORM: print_jobs.application_form,
    DocumentKind.HARDSHIP_FORM: print_jobs.hardship_form,
}


def _pdf(documents, filename):
    """The PDF of documents, or a page saying why printing cannot work here."""
    try:
        pdf = print_jobs.render(documents, request.args.get("lang", "zh_Hans"), current_user)
    except FontsMissing as exc:
        return render_template("documents/fonts_missing.html", families=str(exc)), 503
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _application(application_id):
    return own_centre_or_404(Application, application_id)


def _day():
    return query_date("day") or local_today()


@bp.route("/")
@roles_required(*DESK_ROLES)
def print_centre():
    day = _day()
    return render_template(
        "documents/print_centre.html",
        day=day,
        fonts=print_jobs.renderer().status,
        applications=print_jobs.applications_of_the_day(current_user.centre, day),
        batch_counts=print_jobs.batch_counts(current_user.centre, day),
    )


@bp.route("/certificate/<int:application_id>.pdf")
@roles_required(*DESK_ROLES)
def certificate(application_id):
    application = _application(application_id)
    if application.status != ApplicationStatus.ACCEPTED:
        return render_template(
            "errors/error.html",
            status=409,
            title=_("Not accepted yet"),
            message=_("A certificate is printed once the application is accepted."),
        ), 409
    try:
        document = print_jobs.certificate(application, current_user)
    except RuleError as exc:
        return render_template(
            "errors/error.html", status=exc.status, title=_("Certificate revoked"), message=exc.message
        ), exc.status
    return _pdf([document], f"certificate-{application_id}.pdf")


@bp.route("/application-form/<int:application_id>.pdf")
@roles_required(*DESK_ROLES)
def application_form(application_id):
    return _pdf(
        [print_jobs.application_form(_application(application_id))], f"application-{application_id}.pdf"
    )


@bp.route("/hardship-form/<int:application_id>.pdf")
@roles_required(*DESK_ROLES)
def hardship_form(application_id):
    return _pdf([print_jobs.hardship_form(_application(application_id))], f"hardship-{application_id}.pdf")


def _own_application(application_id):
    """The signed-in student's own submitted application; anything else is simply not found."""
    application = found_or_404(
        Application.get_or_none(
            (Application.id == application_id)
            & (Application.student == current_user.student)
            & Application.status.not_in([ApplicationStatus.DRAFT, ApplicationStatus.RETURNED])
        )
    )
    return application


@bp.route("/mine/application-form/<int:application_id>.pdf")
@student_required
def my_application_form(application_id):
    """The student's own application form, to print, sign and bring to the desk."""
    application = _own_application(application_id)
    return _pdf([print_jobs.application_form(application)], f"application-{application_id}.pdf")


@bp.route("/mine/hardship-form/<int:application_id>.pdf")
@student_required
def my_hardship_form(application_id):
    application = _own_application(application_id)
    if not application.hardship_required:
        abort(404)
    return _pdf([print_jobs.hardship_form(application)], f"hardship-{application_id}.pdf")


@bp.route("/pre-registration/<int:record_id>.pdf")
@roles_required(*SLIP_ROLES)
def prereg_slip(record_id):
    record = found_or_404(
        PreRegistration.get_or_none(
            (PreRegistration.id == record_id)
            & (PreRegistration.centre == current_user.centre)
            & PreRegistration.status.in_([PreregStatus.ACCEPTED, PreregStatus.POSSIBLE_DUPLICATE])
        )
    )
    return _pdf([print_jobs.prereg_slip(record)], f"pre-registration-{record_id}.pdf")


@bp.route("/daily-list.pdf")
@roles_required(*DESK_ROLES)
def daily_list():
    day = _day()
    return _pdf([print_jobs.daily_list(current_user.centre, day)], f"appointments-{day}.pdf")


@bp.route("/batch.pdf")
@roles_required(*DESK_ROLES)
def batch():
    """All of a day's (or half-day's) certificates or forms as one PDF."""
    kind = request.args.get("kind", "")
    if kind not in BATCH_KINDS:
        abort(400)
    half_day = request.args.get("half_day") if request.args.get("half_day") in HalfDay.values() else None
    applications = print_jobs.applications_of_the_day(
        current_user.centre, _day(), half_day, accepted_only=kind == DocumentKind.CERTIFICATE
    )
    if kind == DocumentKind.CERTIFICATE:  # revoked certificates are left out until a leader reissues them
        applications = [a for a in applications if current_certificate(a)]
    elif kind == DocumentKind.HARDSHIP_FORM:  # a student pre-approved at school fills in none
        applications = [a for a in applications if a.hardship_required]
    if not applications:
        return render_template(
            "errors/error.html",
            status=404,
            title=_("Nothing to print"),
            message=_("No application of that day matches."),
        ), 404
    if kind == DocumentKind.CERTIFICATE:
        documents = [print_jobs.certificate(a, current_user) for a in applications]
    else:
        documents = [BATCH_KINDS[kind](a) for a in applications]
    current_app.logger.info("batch of %d %s", len(documents), kind)
    return _pdf(documents, f"{kind}-{_day()}.pdf")


@bp.route("/mine/certificate/<int:application_id>.pdf")
@student_required
def my_certificate(application_id):
    """The student's own acceptance certificate (a copy to keep or to send the university), once
    the desk has issued it; a revoked one is not shown."""
    application = _own_application(application_id)
    if application.status != ApplicationStatus.ACCEPTED or current_certificate(application) is None:
        abort(404)
    return _pdf([print_jobs.certificate(application, current_user)], f"certificate-{application_id}.pdf")
