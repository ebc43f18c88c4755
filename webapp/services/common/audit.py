"""Append-only audit trail of changes, sign-ins and printed documents."""

import json

from flask import has_request_context, request
from flask_login import current_user

from webapp.models import AuditEvent, BaseModel, Centre, User


def record(
    action: str,
    obj: BaseModel | None = None,
    actor: User | None = None,
    centre: Centre | None = None,
    **details: object,
) -> AuditEvent:
    """Write one AuditEvent; actor and address come from the request when there is one."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if centre is None:
        centre = getattr(obj, "centre", None) or getattr(actor, "centre", None)
    return AuditEvent.create(
        centre=centre,
        actor=actor,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        # the primary key: a User's get_id() is Flask-Login's, which carries its sign-in key
        object_id=str(obj._pk) if obj is not None else "",
        details=json.dumps(details, ensure_ascii=False, default=str),
        ip=(request.remote_addr or "") if has_request_context() else "",
    )


# Who looked at personal data (PIPL access logging): reading a full record, printing, exporting.
ACCESS_ACTIONS = ("record.viewed", "documents.printed", "export.loans", "export.pre_registrations")


def record_viewed(obj: BaseModel) -> None:
    """A staff member opened the full record behind obj (all of the student's data)."""
    if has_request_context() and request.method == "GET":
        record("record.viewed", obj, page=request.endpoint)
