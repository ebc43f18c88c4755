from datetime import date
from types import SimpleNamespace

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import ButtonForm, show_errors, submit_form
from webapp.i18n import (
    NEW_STAGE_LABELS,
    STUDY_PROGRESS_LABELS,
)
from webapp.models import Application, Appointment
from webapp.security import student_required
from webapp.services import (
    applications,
    booking,
    calling,
    loan_rules,
    materials,
    message_preferences,
    one_time_codes,
    queue,
    renewals,
)
from webapp.services.errors import FieldErrors, RuleError
from webapp.services.materials import MATERIAL_LABELS, MATERIALS
from webapp.services.seasons import current_season
from webapp.services.student_record import previous_loan, student_application, student_status
from webapp.vocabulary import BOOKABLE_SERVICES, CodePurpose, Service, StudyProgress

from . import bp
from . import steps as application_steps
from .forms import BookingForm, NewStageForm, RenewalForm
from .steps import choices, whole_number


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
        contract_change_open=booking.contract_change_open(student, season, local_today()),
        material_labels=MATERIAL_LABELS,
    )


@bp.route("/ticket/near", methods=["POST"])
@student_required
def ticket_near():
    """Ask for a text message when few people are left before the student's ticket today."""
    ticket = queue.current_ticket(current_user.student)
    if ticket is None or not ButtonForm().validate_on_submit():
        abort(404 if ticket is None else 400)
    wanted = request.form.get("wanted") == "on"
    calling.ask_to_be_told(ticket, wanted)
    flash(
        _("You will get a text message when %(n)d people are before you.", n=calling.NEAR)
        if wanted
        else _("No text message about your turn."),
        "success",
    )
    return redirect(url_for("student.ticket"))


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
    app_row = Application.get_or_none(
        (Application.id == application_id) & (Application.student == current_user.student)
    )
    if app_row is None:
        abort(404)
    return render_template("student/application.html", application=app_row)


@bp.route("/booking", methods=["GET", "POST"])
@student_required
def book():
    """Pick a half-day for a service; shows the places left, or the booking already made."""
    student = current_user.student
    season = current_season(student.centre)
    service = request.values.get("service", Service.FIRST_LOAN)
    if season is None or service not in BOOKABLE_SERVICES:
        abort(404)
    existing = booking.active_booking(student, season, service)
    form = BookingForm(service=service)
    status = 200
    if existing is None and form.validate_on_submit():
        try:
            day_text, half_day = form.slot.data.split("|", 1)
            appointment = booking.book_slot(student, season, service, date.fromisoformat(day_text), half_day)
        except ValueError as exc:
            message = exc.message if isinstance(exc, booking.BookingError) else _("Choose a half-day.")
            form.slot.errors.append(message)
            status = getattr(exc, "status", 422)
        else:
            return redirect(url_for("student.booking_confirmation", code=appointment.code))
    elif form.is_submitted():
        status = 409 if existing is not None else 422
    cannot_book = existing is None and not booking.reason_to_come(student, season, service)
    soon, later = booking.calendar_weeks(
        [] if cannot_book else booking.calendar(season, service), local_today()
    )
    return render_template(
        "student/booking.html",
        form=form,
        season=season,
        service=service,
        existing=existing,
        cannot_book=cannot_book,
        soon=soon,
        later=later,
    ), status


def _own_appointment(code):
    """The signed-in student's booking with that code; anyone else's is simply not found."""
    appointment = Appointment.get_or_none(
        (Appointment.code == code) & (Appointment.student == current_user.student)
    )
    if appointment is None:
        abort(404)
    return appointment


@bp.route("/booking/<code>")
@student_required
def booking_confirmation(code):
    appointment = _own_appointment(code)
    return render_template(
        "student/booking_confirmation.html",
        appointment=appointment,
        materials=MATERIALS[appointment.service],
        form=ButtonForm(),
    )


@bp.route("/booking/<code>.ics")
@student_required
def booking_calendar(code):
    appointment = _own_appointment(code)
    centre = appointment.centre
    ics = booking.calendar_file(appointment, f"{centre.name} · {appointment.code}", centre.address)
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
        booking.cancel_booking(appointment)
    except booking.BookingError as exc:
        flash(str(exc.message), "warning")
        return redirect(url_for("student.booking_confirmation", code=code))
    flash(_("Your booking was cancelled; the place is free again."), "info")
    return redirect(url_for("student.book", service=appointment.service))


@bp.route("/check-in")
@student_required
def check_in():
    """Reached by scanning the QR code at the centre's entrance on the booked day."""
    try:
        queue.check_in(current_user.student, request.args.get("token", ""))
    except queue.QueueError as exc:
        return render_template(
            "errors/error.html", status=exc.status, title=_("Check-in"), message=exc.message
        ), exc.status
    return redirect(url_for("student.ticket"))


@bp.route("/ticket")
@student_required
def ticket():
    current = queue.current_ticket(current_user.student)
    return render_template(
        "student/ticket.html",
        ticket=current,
        position=queue.position_of_student(current_user.student_id),
        near=calling.NEAR,
    )


@bp.route("/ticket.json")
@student_required
def ticket_status():
    """Polled by the ticket page: one query, no template."""
    state = queue.position_of_student(current_user.student_id)
    if state is None:
        abort(404)
    return jsonify(state)


def _draft():
    """This season's first-loan application; a student with a loan from an earlier season and
    no first loan this season is sent to the renewal instead of starting one by accident."""
    student = current_user.student
    season = current_season(student.centre)
    if season is None:
        abort(404)
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
    season = current_season(student.centre)
    if season is None:
        abort(404)
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


@bp.route("/renewal", methods=["GET", "POST"])
@student_required
def renewal():
    """The renewal declaration, filled from last season's loan; the desk's answer shows here."""
    student = current_user.student
    season = current_season(student.centre)
    if season is None:
        abort(404)
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
        if not ButtonForm().validate_on_submit():
            abort(400)
        try:
            one_time_codes.request_code(
                form.mobile.data, CodePurpose.CHANGE_MOBILE, request.remote_addr or "", student.centre
            )
        except (FieldErrors, RuleError) as exc:
            show_errors(form, exc.errors)
            return page(exc.status)
        flash(_("A code is on its way to the new number by text message; enter it below."), "info")
        return page(200)

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
    )
