from flask import abort, jsonify, request
from flask_login import current_user

from webapp.security import roles_required, csrf
from webapp.services.sync import BatchError, ingest_batch

from . import bp

SYNC_ROLES = ("outreach", "leader", "admin")


@bp.route("/ping")
@roles_required(*SYNC_ROLES)
def ping():
    """A real round trip: the device is online only when this answers."""
    return jsonify(ok=True, user=current_user.username)


@bp.route("/sync", methods=["POST"])
@csrf.exempt
@roles_required(*SYNC_ROLES)
def sync():
    if not request.is_json:
        abort(415)
    payload = request.get_json(silent=True)
    if payload is None:
        return jsonify(error="bad_json", message="The body is not valid JSON."), 400
    try:
        results = ingest_batch(payload, current_user._get_current_object(),
                               device_id=request.headers.get("X-Device-Id", ""))
    except BatchError as exc:
        return jsonify(error="bad_batch", message=str(exc.message)), exc.status
    return jsonify(results=[r.as_dict() for r in results])
