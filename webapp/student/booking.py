"""Booking a half-day at the window, its confirmation, calendar file and cancellation."""

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import ButtonForm
from webapp.models import Appointment
from webapp.security import found_or_404, student_required
from webapp.services.booking import appointments
from webapp.services.casework.materials import materials_of_visit
from webapp.services.casework.student_record import previous_loan, student_application
from webapp.services.centre.seasons import current_season
from webapp.vocabulary import BOOKABLE_SERVICES, ApplicationStatus, Service

from .blueprint import bp
from .forms import BookingForm


@bp.route("/booking", methods=["GET", "POST"])
@student_required
def book():
    """Pick a half-day for a service; shows the places left, or the booking already made."""
    student = current_user.student
    season = current_season(student.centre)
    service = request.values.get("service", Service.FIRST_LOAN)
    if season is None or service not in BOOKABLE_SERVICES:
        abort(404)
    existing = appointments.active_booking(student, season, service)
    form = BookingForm(service=service)
    status = 200
    if existing is None and form.validate_on_submit():
        try:
            day_text, half_day = form.slot.data.split("|", 1)
            appointment = appointments.book_slot(
                student, season, service, date.fromisoformat(day_text), half_day
            )
        except ValueError as exc:
            message = exc.message if isinstance(exc, appointments.BookingError) else _("Choose a half-day.")
            form.slot.errors.append(message)
            status = getattr(exc, "status", 422)
        else:
            return redirect(url_for("student.booking_confirmation", code=appointment.code))
    elif form.is_submitted():
        status = 409 if existing is not None else 422
    cannot_book = existing is None and not appointments.reason_to_come(student, season, service)
    first_loan = student_application(student, season, Service.FIRST_LOAN)
    soon, later = appointments.calendar_weeks(
        [] if cannot_book else appointments.calendar(season, service), local_today()
    )
    return render_template(
        "student/booking.html",
        form=form,
        season=season,
        service=service,
        # no tab to a page the student cannot use: renewal only after an earlier loan
        services=[Service.FIRST_LOAN]
        + ([Service.RENEWAL] if previous_loan(student, season) is not None else []),
        existing=existing,
        cannot_book=cannot_book,
        loan_accepted=first_loan is not None and first_loan.status == ApplicationStatus.ACCEPTED,
        soon=soon,
        later=later,
    ), status


def _own_appointment(code):
    """The signed-in student's booking with that code; anyone else's is simply not found."""
    appointment = found_or_404(
        Appointment.get_or_none((Appointment.code == code) & (Appointment.student == current_user.student))
    )
    return appointment


@bp.route("/booking/<code>")
@student_required
def booking_confirmation(code):
    appointment = _own_appointment(code)
    return render_template(
        "student/booking_confirmation.html",
        appointment=appointment,
        materials=materials_of_visit(appointment.service, appointment.application),
        hours=appointments.half_day_hours(appointment.half_day),
        form=ButtonForm(),
    )


@bp.route("/booking/<code>.ics")
@student_required
def booking_calendar(code):
    appointment = _own_appointment(code)
    centre = appointment.centre
    ics = appointments.calendar_file(appointment, f"{centre.name} · {appointment.code}", centre.address)
    response = Response(ics, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="booking-{code}.ics"'
    return response


@bp.route("/booking/<code>/cancel", methods=["POST"])
@student_required
def cancel(code):
    appointment = _own_appointment(code)
    form = ButtonForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        appointments.cancel_booking(appointment)
    except appointments.BookingError as exc:
        flash(str(exc.message), "warning")
        return redirect(url_for("student.booking_confirmation", code=code))
    flash(_("Your booking was cancelled; the place is free again."), "info")
    return redirect(url_for("student.book", service=appointment.service))
