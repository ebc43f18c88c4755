"""One window (desk number) calling the tickets of its service."""

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import ButtonForm
from webapp.i18n import SERVICE_LABELS
from webapp.models import Ticket
from webapp.security import roles_required
from webapp.services.casework import applications
from webapp.services.centre.seasons import current_season
from webapp.services.desk import calling, tickets, walk_in_students
from webapp.vocabulary import Service, TicketStatus

from .blueprint import DESK_ROLES, bp, todays_ticket_or_404
from .forms import WINDOWS, WalkInStudentForm, WindowForm

ACTIONS = {
    "recall": calling.recall,
    "serve": calling.start_serving,
    "skip": calling.skip,
    "finish": calling.finish,
    "requeue": calling.requeue,
}


def _window_form(**kwargs):
    form = WindowForm(**kwargs)
    form.service.choices = [(key, str(SERVICE_LABELS[key])) for key in tickets.STREAMS]
    return form


SEAT_COOKIE = "desk_seat"


def _seat():
    """The window number and service this browser works at: kept in the session, and in a
    cookie of this device, so that the next sign-in at the same PC starts at the same window."""
    if session.get("desk_window"):
        return session["desk_window"], session.get("desk_service", Service.FIRST_LOAN)
    number, _, service = request.cookies.get(SEAT_COOKIE, "").partition(":")
    if number.isdigit() and int(number) in WINDOWS and service in tickets.STREAMS:
        return int(number), service
    return None, Service.FIRST_LOAN


@bp.route("/window", methods=["GET", "POST"])
@roles_required(*DESK_ROLES)
def window():
    number, service = _seat()
    form = _window_form(window=str(number or 1), service=service)
    if form.validate_on_submit() and form.service.data in tickets.STREAMS:
        session["desk_window"], session["desk_service"] = int(form.window.data), form.service.data
        response = redirect(url_for("desk.window"))
        response.set_cookie(
            SEAT_COOKIE,
            f"{session['desk_window']}:{form.service.data}",
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
    return _window_page(form, 422 if form.is_submitted() else 200)


def _window_page(form=None, status=200):
    number, service = _seat()
    form = form or _window_form(window=str(number or 1), service=service)
    day = local_today()
    current = calling.window_ticket(current_user.centre, day, number) if number else None
    skipped = (
        Ticket.select()
        .where(
            (Ticket.centre == current_user.centre)
            & (Ticket.day == day)
            & (Ticket.service == service)
            & (Ticket.status == TicketStatus.SKIPPED)
        )
        .order_by(Ticket.finished_at.desc())
    )
    return render_template(
        "desk/window.html",
        number=number,
        service=service,
        form=form,
        current=current,
        current_application=calling.application_of(current) if current else None,
        skipped=list(skipped),
        next_up=calling.next_in_line(current_user.centre, day, service),
    ), status


@bp.route("/window/next", methods=["POST"])
@roles_required(*DESK_ROLES)
def call_next():
    number, service = _seat()
    if number is None:
        abort(400)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        ticket = calling.call_next(
            current_user.centre, local_today(), service, number, current_user._get_current_object()
        )
    except tickets.QueueError as exc:
        flash(str(exc.message), "warning")
        return _window_page(status=exc.status)
    if ticket is None:
        flash(_("Nobody is waiting for this service."), "info")
    return redirect(url_for("desk.window"))


@bp.route("/tickets/<int:ticket_id>/<action>", methods=["POST"])
@roles_required(*DESK_ROLES)
def ticket_action(ticket_id, action):
    if action not in ACTIONS:
        abort(404)
    ticket = todays_ticket_or_404(ticket_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        ACTIONS[action](ticket, current_user._get_current_object())
    except tickets.QueueError as exc:
        flash(str(exc.message), "warning")
        return _window_page(status=exc.status)
    return redirect(url_for("desk.window"))


@bp.route("/tickets/<int:ticket_id>/student", methods=["POST"])
@roles_required(*DESK_ROLES)
def walk_in_student(ticket_id):
    """A walk-in the centre has never met: their record from the ID card, then the application.
    A refusal comes back on the window page (422) with the form as typed."""
    ticket = todays_ticket_or_404(ticket_id)
    season = current_season(ticket.centre)
    if season is None:
        abort(404)
    form = WalkInStudentForm()
    if not form.validate_on_submit():
        flash(" ".join(str(m) for field in form for m in field.errors) or _("Check the fields."), "warning")
        return _window_page(status=422)
    try:
        student = walk_in_students.record_for(
            ticket, form.name.data, form.id_number.data, form.mobile.data, current_user._get_current_object()
        )
        application = applications.start(student, season)
    except (walk_in_students.WalkInStudentErrors, applications.StepErrors) as exc:
        flash(" ".join(str(m) for m in exc.errors.values()), "warning")
        return _window_page(status=exc.status)
    flash(_("%(name)s's record is made; type the application with them.", name=student.name), "success")
    return redirect(url_for("desk.application", application_id=application.id))
