"""The ticket on the day: check-in, the place in line, and the text when the turn is near."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.forms import ButtonForm
from webapp.security import found_or_404, student_required
from webapp.services.desk import calling, tickets

from .blueprint import bp


@bp.route("/ticket/near", methods=["POST"])
@student_required
def ticket_near():
    """Ask for a text message when few people are left before the student's ticket today."""
    ticket = tickets.current_ticket(current_user.student)
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


@bp.route("/check-in")
@student_required
def check_in():
    """Reached by scanning the QR code at the centre's entrance on the booked day."""
    try:
        tickets.check_in(current_user.student, request.args.get("token", ""))
    except tickets.QueueError as exc:
        return render_template(
            "errors/error.html", status=exc.status, title=_("Check-in"), message=exc.message
        ), exc.status
    return redirect(url_for("student.ticket"))


@bp.route("/ticket")
@student_required
def ticket():
    current = tickets.current_ticket(current_user.student)
    return render_template(
        "student/ticket.html",
        ticket=current,
        position=tickets.position_of_student(current_user.student_id),
        near=calling.NEAR,
    )


@bp.route("/ticket.json")
@student_required
def ticket_status():
    """Polled by the ticket page: one query, no template."""
    state = found_or_404(tickets.position_of_student(current_user.student_id))
    return jsonify(state)
