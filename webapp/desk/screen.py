"""The waiting-room screen: a full-screen page for a TV that announces each new call aloud. The
calls are pushed to it (Server-Sent Events); it polls the state instead where streams fail."""

from flask import Response, jsonify, render_template, stream_with_context
from flask_login import current_user

from webapp.clock import local_today
from webapp.security import roles_required
from webapp.services.desk import calling, screen_events
from webapp.vocabulary import Role

from .blueprint import bp

SCREEN_ROLES = (Role.DESK, Role.LEADER, Role.ADMIN)


@bp.route("/screen")
@roles_required(*SCREEN_ROLES)
def screen():
    return render_template("desk/screen.html", centre=current_user.centre)


@bp.route("/screen/state.json")
@roles_required(*SCREEN_ROLES)
def screen_state():
    return jsonify(calling.screen_state(current_user.centre, local_today()))


@bp.route("/screen/events")
@roles_required(*SCREEN_ROLES)
def screen_events_stream():
    body = screen_events.stream(current_user.centre, local_today(), calling.screen_state)
    response = Response(stream_with_context(body), mimetype="text/event-stream")
    response.headers["X-Accel-Buffering"] = "no"  # nginx passes each event on at once
    return response
