"""The incident log of the hall: crowding, complaints, a student who cannot come back the same
day; each with its follow-up, as the reference county's plan asks."""

from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect

from webapp.models import Centre, Incident, Student, User, utcnow
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.vocabulary import IncidentKind


class IncidentErrors(FieldErrors):
    pass


def report(
    centre: Centre,
    day: date,
    kind: str,
    description: str | None,
    user: User,
    student: Student | None = None,
) -> Incident:
    errors = {}
    if kind not in IncidentKind.values():
        errors["kind"] = _l("Choose what happened.")
    if not (description or "").strip():
        errors["description"] = _l("Describe what happened.")
    if errors:
        raise IncidentErrors(errors)
    incident = Incident.create(
        centre=centre, day=day, kind=kind, description=description.strip(), student=student, reported_by=user
    )
    audit.record("incident.reported", incident, actor=user, kind=kind)
    return incident


def close(incident: Incident, follow_up: str | None, user: User) -> None:
    """Close with what was done about it; a closed incident stays in the log."""
    follow_up = (follow_up or "").strip()
    if not follow_up:
        raise IncidentErrors({"follow_up": _l("Say what was done about it.")})
    if incident.closed_at is not None:
        raise IncidentErrors({"follow_up": _l("This incident is already closed.")})
    incident.follow_up, incident.closed_by, incident.closed_at = follow_up, user, utcnow()
    incident.save()
    audit.record("incident.closed", incident, actor=user)


def recent(centre: Centre, since: date) -> ModelSelect:
    """Open incidents of any day first, then the closed ones since the given day."""
    return (
        Incident.select()
        .where((Incident.centre == centre) & (Incident.closed_at.is_null() | (Incident.day >= since)))
        .order_by(Incident.closed_at.is_null(False), Incident.day.desc(), Incident.id.desc())
    )
