"""The waiting-room screen: a full-screen page for a TV that polls the calls every second and
announces each new call aloud."""

from flask import jsonify, render_template
from flask_login import current_user

from webapp.clock import local_today
from webapp.security import roles_required
from webapp.services import calling
from webapp.vocabulary import Role

from . import bp

SCREEN_ROLES = (Role.DESK, Role.LEADER, Role.ADMIN)


@bp.route("/screen")
@roles_required(*SCREEN_ROLES)
def screen():
    return render_template("desk/screen.html", centre=current_user.centre)


@bp.route("/screen/state.json")
@roles_required(*SCREEN_ROLES)
def screen_state():
    return jsonify(calling.screen_state(current_user.centre, local_today()))
