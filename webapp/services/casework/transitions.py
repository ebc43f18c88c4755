"""An application's status moves in one conditional update: UPDATE … SET status = new WHERE id = …
AND status IN (the statuses it may move from). Of two requests moving it at once (two desks
pressing accept, a reviewer approving while another returns) exactly one does; the other is
refused, and nothing it loaded earlier is written over the first one's work."""

from flask_babel import lazy_gettext as _l

from webapp.models import Application, utcnow
from webapp.services.common.errors import FieldErrors, RuleError
from webapp.vocabulary import EDITABLE_APPLICATIONS, ApplicationStatus

ALREADY = {
    ApplicationStatus.ACCEPTED: _l(
        "This loan was just accepted at another window; its certificate is issued."
    ),
    ApplicationStatus.APPROVED: _l("This declaration was just approved by someone else."),
    ApplicationStatus.RETURNED: _l("This declaration was just returned by someone else."),
    ApplicationStatus.SUBMITTED: _l("This application was already submitted."),
    ApplicationStatus.CANCELLED: _l("This application was cancelled."),
}


class TransitionRefused(RuleError):
    """Another request moved the application first; the message says where it is now."""

    status = 409


def move(application: Application, allowed_from, to: str, refused=TransitionRefused, **fields) -> None:
    """Move application from one of allowed_from to `to`, setting fields with the status, or
    raise refused (a RuleError the caller's view shows, or a FieldErrors class: its message goes
    on top of the form). The object is brought up to date either way."""
    changed = (
        Application.update(status=to, **fields)
        .where((Application.id == application.id) & Application.status.in_(list(allowed_from)))
        .execute()
    )
    if not changed:
        now = Application.select(Application.status).where(Application.id == application.id).scalar()
        application.status = now
        message = ALREADY.get(now, _l("This application changed meanwhile; open it again."))
        raise refused({"_": message}, 409) if issubclass(refused, FieldErrors) else refused(message, 409)
    application.status = to
    for name, value in fields.items():
        setattr(application, name, value)
    application._dirty.clear()  # written: a later save() of other fields leaves these alone


def submit(application: Application, refused=TransitionRefused) -> None:
    """A draft or returned application (or declaration) is sent to the centre, once."""
    now = utcnow()
    move(
        application,
        EDITABLE_APPLICATIONS,
        ApplicationStatus.SUBMITTED,
        refused,
        submitted_at=now,
        updated_at=now,
    )
