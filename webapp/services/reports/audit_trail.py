"""Reading the audit trail: who did what to which record, filtered, newest first, a page at a
time by id (no OFFSET, so late pages cost what the first one does)."""

import json
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from peewee import JOIN

from webapp.clock import utc_start_of
from webapp.models import (
    Application,
    Appointment,
    AuditEvent,
    Centre,
    IssuedDocument,
    NationalImport,
    PreRegistration,
    School,
    Season,
    Student,
    Ticket,
    User,
)
from webapp.services.casework.materials import MATERIAL_LABELS
from webapp.services.common.audit import ACCESS_ACTIONS
from webapp.services.desk.acceptance import CORRECTABLE_LABELS
from webapp.vocabulary import AuditAction, DocumentKind, Role

ACCESS = "access"  # the filter for every look at personal data (ACCESS_ACTIONS)

PAGE = 50


@dataclass
class Filters:
    actor: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    day_from: object = None
    day_to: object = None


def search(
    centre: Centre, filters: Filters, before: int | None = None
) -> tuple[list[AuditEvent], int | None]:
    """A page of events and the id to continue before (None on the last page). Local days
    become UTC bounds, so that the index on created_at is used."""
    query = (
        AuditEvent.select(AuditEvent, User)
        .join(User, on=(AuditEvent.actor == User.id), join_type=JOIN.LEFT_OUTER)
        .where(AuditEvent.centre == centre)
    )
    if filters.actor:
        query = query.where(AuditEvent.actor == filters.actor)
    if filters.action == ACCESS:
        query = query.where(AuditEvent.action.in_(ACCESS_ACTIONS))
    elif filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.day_from:
        query = query.where(AuditEvent.created_at >= utc_start_of(filters.day_from))
    if filters.day_to:
        query = query.where(AuditEvent.created_at < utc_start_of(filters.day_to + timedelta(days=1)))
    if before:
        query = query.where(AuditEvent.id < before)
    events = list(query.order_by(AuditEvent.id.desc()).limit(PAGE + 1))
    more = len(events) > PAGE
    events = events[:PAGE]
    return events, (events[-1].id if more else None)


# The words of the records and of the details people read in the log.
OBJECT_TYPES = {
    "Application": _l("Application"),
    "Appointment": _l("Booking"),
    "Centre": _l("Centre"),
    "ClosedDay": _l("Closed day"),
    "ColumnMapping": _l("Column mapping"),
    "DutyAssignment": _l("Duty"),
    "Incident": _l("Incident"),
    "IssuedDocument": _l("Certificate"),
    "NationalImport": _l("National list"),
    "OwedMaterial": _l("Paper to follow"),
    "PreRegistration": _l("Pre-registration"),
    "ReconciliationNote": _l("Reconciliation note"),
    "RosterImport": _l("Roster import"),
    "School": _l("School"),
    "Season": _l("Season"),
    "ServiceQuota": _l("Places"),
    "SignInSession": _l("Device"),
    "Student": _l("Student"),
    "Ticket": _l("Ticket"),
    "User": _l("Account"),
}
DETAIL_NAMES = {
    "field": _l("Field"),
    "old": _l("Before"),
    "new": _l("After"),
    "checked": _l("Materials ticked"),
    "label": _l("Ticket"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "device": _l("Device"),
    "revision": _l("Revision"),
    "window": _l("Window"),
    "day": _l("Day"),
    "number": _l("Number"),
    "code": _l("Code"),
    "format": _l("Format"),
    "filters": _l("Filters"),
    "rows": _l("Rows"),
    "stage": _l("Stage"),
    "page": _l("Page"),
    "role": _l("Role"),
    "service": _l("Service"),
    "half_day": _l("Half-day"),
    "kind": _l("Kind"),
    "query_kind": _l("Searched by"),
    "found": _l("Found"),
    "material": _l("Paper"),
    "materials": _l("Papers"),
    "name": _l("Name"),
    "student": _l("Student"),
    "season": _l("Season"),
    "year": _l("Year"),
    "columns": _l("Columns"),
    "matched": _l("Matched"),
    "difference": _l("Difference"),
    "fields": _l("Fields that differ"),
    "on": _l("Confirmed on"),
    "via": _l("How"),
    "start": _l("From"),
    "end": _l("To"),
    "count": _l("How many"),
    "ended": _l("Devices signed out"),
    "kinds": _l("Documents"),
    "wanted": _l("Wanted"),
    "ticket": _l("Ticket"),
    "original": _l("Message sent again"),
    "leader": _l("Duty leader"),
    "closed_day": _l("Closed day"),
    "changes": _l("Changes"),
    "source": _l("Source"),
    "certificate": _l("Certificate"),
    "contract_number": _l("Contract number"),
    "receipt_code": _l("Receipt verification code"),
    "needs_window": _l("To sign at the window"),
    "refused": _l("Refused"),
    "filename": _l("File"),
    "to": _l("To"),
    "moved": _l("Moved"),
    "cancelled": _l("Cancelled"),
    "one_loan": _l("One loan this year declared"),
    "category": _l("Category"),
    "contract_later": _l("Contract later"),
    "due_on": _l("Due"),
}
# What only the system reads: never shown (a sign-in's key or session, the page's internal name).
HIDDEN_DETAILS = {"session", "key", "page", "sign_in_key"}


def _words(name, value):
    """A detail's value as people read it: papers and documents by their names, yes or no."""
    if isinstance(value, bool):
        return _l("yes") if value else _l("no")
    if name in ("checked", "materials", "material", "missing") and isinstance(value, list | str):
        keys = value if isinstance(value, list) else [value]
        return ", ".join(str(MATERIAL_LABELS.get(key, key)) for key in keys)
    if name == "kinds" and isinstance(value, list):
        return ", ".join(
            str(_l(DocumentKind(kind).msgid)) if kind in DocumentKind.values() else kind for kind in value
        )
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):  # a contract change's values before and after
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return value


def action_label(action: str) -> str:
    """The action in words; an action this version does not know keeps its code."""
    try:
        return _l(AuditAction(action).msgid)
    except ValueError:
        return action


def details(event: AuditEvent) -> list[tuple]:
    """The event's details as (name in words, value, whether it is an old or new value) rows;
    a corrected field by its name."""
    try:
        data = json.loads(event.details or "{}")
    except ValueError:
        return [(_l("Details"), event.details, False)]
    rows = []
    for name, value in data.items():
        if name in HIDDEN_DETAILS:
            continue
        if name == "field" and value in CORRECTABLE_LABELS:
            value = CORRECTABLE_LABELS[value]
        rows.append((DETAIL_NAMES.get(name, _l("Details")), _words(name, value), name in ("old", "new")))
    return rows


def _names(query, ids, label):
    """{str(id): words} for the records of query with those ids."""
    return {str(row.id): label(row) for row in query.where(query.model.id.in_(ids))} if ids else {}


DESCRIBERS = {
    "Application": lambda ids: _names(
        Application.select(Application, Student).join(Student), ids, lambda a: a.student.name
    ),
    "Ticket": lambda ids: _names(
        Ticket.select(Ticket, Student).join(Student, JOIN.LEFT_OUTER),
        ids,
        lambda t: f"{t.label} {t.student.name if t.student_id else t.visitor_name}",
    ),
    "Appointment": lambda ids: _names(
        Appointment.select(Appointment, Student).join(Student), ids, lambda a: f"{a.code} {a.student.name}"
    ),
    "Student": lambda ids: _names(Student.select(), ids, lambda s: s.name),
    "PreRegistration": lambda ids: _names(PreRegistration.select(), ids, lambda p: p.name),
    "User": lambda ids: _names(User.select(), ids, lambda u: u.name),
    "School": lambda ids: _names(School.select(), ids, lambda s: s.name),
    "Season": lambda ids: _names(Season.select(), ids, lambda s: s.name),
    "Centre": lambda ids: _names(Centre.select(), ids, lambda c: c.name),
    "IssuedDocument": lambda ids: _names(IssuedDocument.select(), ids, lambda d: d.number),
    "NationalImport": lambda ids: _names(NationalImport.select(), ids, lambda i: i.filename),
}


def describe(events: list[AuditEvent]) -> dict[int, str]:
    """{event id: "申请 · 刘洋"}: each event's record in words, a query per kind of record."""
    ids = {}
    for event in events:
        if event.object_type:
            ids.setdefault(event.object_type, set()).add(event.object_id)
    names = {}
    for object_type, wanted in ids.items():
        numeric = [int(i) for i in wanted if str(i).isdigit()]
        describer = DESCRIBERS.get(object_type)
        names[object_type] = describer(numeric) if describer else {}
    result = {}
    for event in events:
        if not event.object_type:
            continue
        kind = OBJECT_TYPES.get(event.object_type, event.object_type)
        name = names.get(event.object_type, {}).get(str(event.object_id))
        result[event.id] = f"{kind} · {name}" if name else f"{kind} {event.object_id}"
    return result


def choices(centre: Centre) -> tuple[list[str], list[str], list[User]]:
    """The actions and record types that occur, and the people who acted, for the filters."""
    actions = [
        a
        for (a,) in AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.centre == centre)
        .group_by(AuditEvent.action)
        .order_by(AuditEvent.action)
        .tuples()
    ]
    types = [
        t
        for (t,) in AuditEvent.select(AuditEvent.object_type)
        .where((AuditEvent.centre == centre) & (AuditEvent.object_type != ""))
        .group_by(AuditEvent.object_type)
        .order_by(AuditEvent.object_type)
        .tuples()
    ]
    people = list(
        User.select().where((User.centre == centre) & (User.role != Role.STUDENT)).order_by(User.name)
    )
    return actions, types, people
