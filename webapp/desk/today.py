"""Today's bookings and walk-ins: search, check-in, admitting walk-ins, the green channel."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import ButtonForm, submit_form
from webapp.i18n import SERVICE_LABELS
from webapp.models import Appointment, Student
from webapp.security import own_centre_or_404, roles_required
from webapp.services.casework import applications
from webapp.services.centre.seasons import current_season
from webapp.services.desk import day_list, student_search, tickets
from webapp.services.desk.duty import duty_leader

from .blueprint import DESK_ROLES, bp, todays_ticket_or_404
from .forms import GreenChannelForm, WalkInForm


def _walk_in_form(**kwargs):
    form = WalkInForm(**kwargs)
    form.service.choices = [(key, str(SERVICE_LABELS[key])) for key in tickets.STREAMS]
    return form


@bp.route("/")
@roles_required(*DESK_ROLES)
def today(walk_in_form=None, status=200):
    day, query = local_today(), request.args.get("q", "")
    rows = day_list.board(current_user.centre, day)
    students = student_search.find_students(current_user.centre, query)
    return render_template(
        "desk/today.html",
        day=day,
        rows=day_list.search(rows, query),
        query=query,
        students=students,
        student_applications=student_search.applications_of(students, current_season(current_user.centre)),
        counts=day_list.counts(rows),
        duty_leader=duty_leader(current_user.centre, day),
        green_form=GreenChannelForm(),
        walk_in_form=walk_in_form or _walk_in_form(),
    ), status


def _back():
    return redirect(url_for("desk.today", q=request.args.get("q") or None))


def _walk_in_given(ticket):
    flash(
        _(
            "Walk-in ticket %(label)s for %(name)s; admit it when places allow.",
            label=ticket.label,
            name=ticket.visitor_name,
        ),
        "success",
    )
    return _back()


def _refused(exc):
    """The page again, with the reason, and the status of the refusal (409 or 422)."""
    flash(str(exc.message), "warning")
    return today(status=exc.status)


@bp.route("/appointments/<int:appointment_id>/check-in", methods=["POST"])
@roles_required(*DESK_ROLES)
def check_in(appointment_id):
    appointment = own_centre_or_404(Appointment, appointment_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        ticket = tickets.desk_check_in(appointment, current_user._get_current_object())
    except tickets.QueueError as exc:
        return _refused(exc)
    flash(
        _("%(name)s checked in: ticket %(label)s.", name=appointment.student.name, label=ticket.label),
        "success",
    )
    return _back()


@bp.route("/walk-ins", methods=["POST"])
@roles_required(*DESK_ROLES)
def walk_in():
    form = _walk_in_form()
    return submit_form(
        form,
        lambda: tickets.walk_in(
            current_user.centre,
            form.service.data,
            form.name.data,
            form.id_number.data,
            current_user._get_current_object(),
        ),
        page=lambda status: today(walk_in_form=form, status=status),
        done=_walk_in_given,
        invalid=lambda: today(walk_in_form=form, status=400),
    )


@bp.route("/tickets/<int:ticket_id>/admit", methods=["POST"])
@roles_required(*DESK_ROLES)
def admit(ticket_id):
    ticket = todays_ticket_or_404(ticket_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        tickets.admit(ticket, current_user._get_current_object())
    except tickets.QueueError as exc:
        return _refused(exc)
    flash(_("%(label)s joins the line.", label=ticket.label), "success")
    return _back()


@bp.route("/tickets/<int:ticket_id>/green-channel", methods=["POST"])
@roles_required(*DESK_ROLES)
def green_channel(ticket_id):
    ticket = todays_ticket_or_404(ticket_id)
    form = GreenChannelForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        tickets.give_green_channel(ticket, form.reason.data, current_user._get_current_object())
    except tickets.QueueError as exc:
        return _refused(exc)
    flash(_("%(label)s will be called first.", label=ticket.label), "success")
    return _back()


@bp.route("/students/<int:student_id>/walk-in", methods=["POST"])
@roles_required(*DESK_ROLES)
def student_walk_in(student_id):
    """A walk-in ticket for a student found by the search: the ticket leads to their application."""
    student = own_centre_or_404(Student, student_id)
    form = _walk_in_form()
    if not form.validate_on_submit():
        abort(400)
    try:
        ticket = tickets.walk_in(
            current_user.centre,
            form.service.data,
            student.name,
            student.id_number,
            current_user._get_current_object(),
        )
    except tickets.WalkInErrors as exc:
        flash(" ".join(str(m) for m in exc.errors.values()), "warning")
        return today(status=422)
    return _walk_in_given(ticket)


@bp.route("/students/<int:student_id>/application", methods=["POST"])
@roles_required(*DESK_ROLES)
def start_application(student_id):
    """Start (or open) the student's first-loan application at the desk, to type it for them."""
    student = own_centre_or_404(Student, student_id)
    season = current_season(student.centre)
    if season is None or not ButtonForm().validate_on_submit():
        abort(400 if season else 404)
    try:
        application = applications.start(student, season)
    except applications.StepErrors as exc:
        flash(" ".join(str(m) for m in exc.errors.values()), "warning")
        return today(status=422)
    return redirect(url_for("desk.application", application_id=application.id))
