from datetime import date

from flask import abort, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from webapp import metrics
from webapp.input_checks import takes_large_body
from webapp.security import csrf, roles_required, student_required
from webapp.services.booking import appointments
from webapp.services.centre.seasons import current_season
from webapp.services.outreach import capture_devices
from webapp.services.outreach.sync import BatchError, ingest_batch
from webapp.vocabulary import Role

from .blueprint import bp
from .openapi import DOCUMENT

SYNC_ROLES = (Role.OUTREACH, Role.LEADER, Role.ADMIN)


@bp.route("/openapi.json")
def openapi_document():
    """The JSON API described as OpenAPI (webapp/api/openapi.py), for integrators and the suite."""
    return jsonify(DOCUMENT)


@bp.route("/ping")
@roles_required(*SYNC_ROLES)
def ping():
    """A real round trip: the device is online only when this answers. It also tells the
    offline page who is signed in (its cached copy carries no identity), with a CSRF token for
    the page's forms, and notes the device the outbox names."""
    capture_devices.register(current_user, request.args.get("device", ""))
    return jsonify(
        ok=True,
        user=current_user.username,
        name=current_user.name,
        csrf_token=generate_csrf(),
    )


@bp.route("/sync", methods=["POST"])
@takes_large_body
@csrf.exempt
@roles_required(*SYNC_ROLES)
def sync():
    if not request.is_json:
        abort(415)
    payload = request.get_json()  # parsed and checked once already, by input_checks
    try:
        results = ingest_batch(
            payload, current_user._get_current_object(), device_id=request.headers.get("X-Device-Id", "")
        )
    except BatchError as exc:
        return jsonify(error="bad_batch", message=str(exc.message)), exc.status
    metrics.count_sync(results)
    return jsonify(results=[r.as_dict() for r in results])


@bp.route("/bookings", methods=["POST"])
@csrf.exempt
@student_required
def create_booking():
    """Book a half-day: 201 with the booking, 409 when full or already booked, 422 otherwise."""
    if not request.is_json:
        abort(415)
    payload = request.get_json(silent=True) or {}
    student = current_user.student
    season = current_season(student.centre)
    try:
        day = date.fromisoformat(str(payload.get("day", "")))
    except ValueError:
        return jsonify(error=appointments.Refusal.INVALID, message=_("Choose a day.")), 422
    if season is None:
        return jsonify(error=appointments.Refusal.INVALID, message=_("No season is set up yet.")), 422
    try:
        appointment = appointments.book_slot(
            student,
            season,
            str(payload.get("service", "")),
            day,
            str(payload.get("half_day", "")),
        )
    except appointments.BookingError as exc:
        return jsonify(error=exc.reason, message=str(exc.message)), exc.status
    return jsonify(
        code=appointment.code,
        day=appointment.day.isoformat(),
        half_day=appointment.half_day,
        service=appointment.service,
    ), 201
