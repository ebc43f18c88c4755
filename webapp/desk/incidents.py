"""The incident log of the hall."""

from datetime import timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.clock import local_today
from webapp.forms import submit_form
from webapp.i18n import INCIDENT_LABELS
from webapp.models import Incident
from webapp.security import own_centre_or_404, roles_required
from webapp.services.desk import incidents
from webapp.vocabulary import Role

from .blueprint import DESK_ROLES, bp
from .forms import CloseIncidentForm, IncidentForm

INCIDENT_ROLES = DESK_ROLES + (Role.ADMIN,)


def _incident_form(**kwargs):
    form = IncidentForm(**kwargs)
    form.kind.choices = [(key, str(label)) for key, label in INCIDENT_LABELS.items()]
    return form


@bp.route("/incidents", methods=["GET", "POST"])
@roles_required(*INCIDENT_ROLES)
def incident_log():
    form = _incident_form()

    def logged(_incident):
        flash(_("Logged. The duty leader sees it until it is closed."), "success")
        return redirect(url_for("desk.incident_log"))

    return submit_form(
        form,
        lambda: incidents.report(
            current_user.centre,
            local_today(),
            form.kind.data,
            form.description.data,
            current_user._get_current_object(),
        ),
        lambda status: _log_page(form, status=status),
        logged,
    )


def _log_page(form, close_form=None, closing=None, status=200):
    rows = incidents.recent(current_user.centre, local_today() - timedelta(days=14))
    return render_template(
        "desk/incidents.html",
        form=form,
        incidents=list(rows),
        close_form=close_form or CloseIncidentForm(),
        closing=closing,
    ), status


@bp.route("/incidents/<int:incident_id>/close", methods=["POST"])
@roles_required(*INCIDENT_ROLES)
def close_incident(incident_id):
    incident = own_centre_or_404(Incident, incident_id)
    form = CloseIncidentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        incidents.close(incident, form.follow_up.data, current_user._get_current_object())
    except incidents.IncidentErrors as exc:
        form.follow_up.errors.append(exc.errors["follow_up"])
        return _log_page(_incident_form(), form, incident.id, 422)
    flash(_("Incident closed."), "success")
    return redirect(url_for("desk.incident_log"))
