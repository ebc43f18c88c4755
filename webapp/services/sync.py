"""Idempotent ingest of records captured offline (design.md section 6).

The device gives every record a UUID and a revision. The server keeps one row per UUID holding
the newest valid revision it has seen; every record gets its own answer, and one bad record never
blocks the others:

- accepted / possible_duplicate: stored (the ID number was already known: kept and flagged);
- invalid: field errors to show next to the record; nothing valid is overwritten;
- stale: the server already holds a newer revision;
- closed: the centre already merged or rejected the record.
"""
import json
import uuid as uuidlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError

from webapp.db import database, lock_key
from webapp.models import PreRegistration, RosterEntry, SchoolVisit, Student, utcnow

from . import audit
from .id_numbers import parse_id_number
from .prereg_rules import clean_pre_registration, clean_school_visit, parse_device_time

MAX_BATCH = 200
EXPORT_FORMAT = "studentloan-outbox"
KINDS = ("pre_registration", "school_visit")
CLOSED = ("merged", "rejected")
PREREG_FIELDS = ("name", "id_number", "mobile", "class_name", "guardian_name", "guardian_relation",
                 "guardian_mobile", "guardian_id_number", "category", "intended_university",
                 "intended_level", "notes")


class BatchError(ValueError):
    """The envelope itself is unusable; status is the HTTP status to answer with."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class RecordResult:
    uuid: str
    revision: object
    status: str
    errors: dict = field(default_factory=dict)
    server_revision: int | None = None

    def as_dict(self):
        return {"uuid": self.uuid, "revision": self.revision, "status": self.status,
                "errors": {k: str(v) for k, v in self.errors.items()},
                "server_revision": self.server_revision}


def ingest_batch(payload, user, device_id=""):
    """Store a batch from one device; returns one RecordResult per record, in order."""
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        raise BatchError(_l("Send a JSON object with a list of records."))
    records = payload["records"]
    if len(records) > MAX_BATCH:
        raise BatchError(_l("Send at most %(n)d records at a time.", n=MAX_BATCH), status=413)
    device_id = str(payload.get("device_id") or device_id or "")[:64]
    with database.atomic():
        return [_ingest_one(raw, user, device_id) for raw in records]


def import_exported(payload, user):
    """Records from a device's "export unsent records" file, under the same rules as a sync."""
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT \
            or not isinstance(payload.get("records"), list):
        raise BatchError(_l("The file is not an export of unsent records."))
    records, device_id = payload["records"], str(payload.get("device_id", ""))
    results = []
    for start in range(0, len(records), MAX_BATCH):
        results += ingest_batch({"records": records[start:start + MAX_BATCH]}, user, device_id)
    return results


def _ingest_one(raw, user, device_id):
    raw = raw if isinstance(raw, dict) else {}
    record_uuid, revision = str(raw.get("uuid", ""))[:64], raw.get("revision")
    try:
        parsed = uuidlib.UUID(record_uuid)
    except ValueError:
        return RecordResult(record_uuid, revision, "invalid", {"_record": _l("The record has no valid identifier.")})
    if isinstance(revision, bool) or not isinstance(revision, int) or revision < 1:
        return RecordResult(record_uuid, revision, "invalid", {"_record": _l("The record has no valid revision.")})
    kind = raw.get("kind", "pre_registration")
    if kind not in KINDS:
        return RecordResult(record_uuid, revision, "invalid", {"_record": _l("Unknown kind of record.")})
    handler = _ingest_pre_registration if kind == "pre_registration" else _ingest_visit
    args = (parsed, revision, raw.get("data"), parse_device_time(raw.get("captured_at")), user, device_id)
    try:
        with database.atomic():
            return handler(*args)
    except IntegrityError:
        # Another request stored the same UUID or ID number a moment ago: look again.
        with database.atomic():
            return handler(*args)


def _foreign(row, user):
    return row is not None and row.centre_id != user.centre_id


def _ingest_pre_registration(record_uuid, revision, data, captured_at, user, device_id):
    key = str(record_uuid)
    row = PreRegistration.get_or_none(PreRegistration.uuid == record_uuid)
    if _foreign(row, user):
        return RecordResult(key, revision, "invalid", {"_record": _l("This record belongs to another centre.")})
    if row is not None:
        early = _answer_from_stored(row, revision)
        if early is not None:
            return early
    clean, errors = clean_pre_registration(data, user.centre)
    if errors:
        return _store_invalid(row, record_uuid, revision, data, errors, captured_at, user, device_id)
    lock_key(clean["id_number"])
    if row is None:
        row = PreRegistration(centre=user.centre, uuid=record_uuid, captured_by=user,
                              device_id=device_id, captured_at=captured_at)
    else:
        audit.record("prereg.revised", row, actor=user, revision=revision, device=device_id)
    _apply(row, clean, revision)
    row.save()
    return RecordResult(key, revision, row.status, server_revision=row.revision)


def _answer_from_stored(row, revision):
    """The answer when the stored row already settles this revision, else None."""
    key = str(row.uuid)
    if row.status in CLOSED:
        return RecordResult(key, revision, "closed", server_revision=row.revision)
    if row.status != "invalid":
        if revision == row.revision:
            return RecordResult(key, revision, row.status, server_revision=row.revision)
        if revision < row.revision:
            return RecordResult(key, revision, "stale", server_revision=row.revision)
    if row.invalid_revision == revision and row.field_errors:
        return RecordResult(key, revision, "invalid", json.loads(row.field_errors),
                            server_revision=None if row.status == "invalid" else row.revision)
    return None


def _store_invalid(row, record_uuid, revision, data, errors, captured_at, user, device_id):
    """Keep what the device sent, for the review queue, without touching valid data."""
    key = str(record_uuid)
    if row is not None and row.invalid_revision and revision < row.invalid_revision:
        return RecordResult(key, revision, "stale", server_revision=row.revision)
    if row is None:
        data = data if isinstance(data, dict) else {}
        row = PreRegistration(centre=user.centre, uuid=record_uuid, revision=revision,
                              status="invalid", captured_by=user, device_id=device_id,
                              captured_at=captured_at, name=str(data.get("name", ""))[:50],
                              id_number=str(data.get("id_number", ""))[:18])
    row.invalid_payload = json.dumps(data, ensure_ascii=False, default=str)[:20000]
    row.field_errors = json.dumps({k: str(v) for k, v in errors.items()}, ensure_ascii=False)
    row.invalid_revision = revision
    row.updated_at = utcnow()
    row.save()
    return RecordResult(key, revision, "invalid", errors,
                        server_revision=None if row.status == "invalid" else row.revision)


def _apply(row, clean, revision):
    for name in PREREG_FIELDS:
        setattr(row, name, clean[name])
    row.school = clean["school"]
    row.revision = revision
    row.updated_at = utcnow()
    if row.invalid_revision is None or revision >= row.invalid_revision:
        row.invalid_payload = row.field_errors = ""
        row.invalid_revision = None
    kept_by_review = row.status == "accepted" and row.reviewed_at is not None
    if not kept_by_review:
        row.duplicate_of = _earlier_record_of_same_person(row)
        row.status = "possible_duplicate" if row.duplicate_of else "accepted"
    row.student = _student_for(row)
    row.roster_entry = (RosterEntry.get_or_none((RosterEntry.school == row.school)
                                                & (RosterEntry.id_number == row.id_number))
                        or RosterEntry.get_or_none((RosterEntry.centre == row.centre)
                                                   & (RosterEntry.id_number == row.id_number)))


def _earlier_record_of_same_person(row):
    query = PreRegistration.select().where(
        (PreRegistration.id_number == row.id_number)
        & PreRegistration.status.in_(["accepted", "possible_duplicate"]))
    if row.id is not None:
        query = query.where(PreRegistration.id != row.id)
    return query.order_by(PreRegistration.id).first()


def _student_for(row):
    """The student with this ID number; created from the pre-registration when new."""
    student = Student.get_or_none(Student.id_number == row.id_number)
    if student is None:
        rid = parse_id_number(row.id_number)
        student = Student.create(centre=row.centre, id_number=rid.number, name=row.name,
                                 birth_date=rid.birth_date, sex=rid.sex, mobile=row.mobile,
                                 school=row.school, class_name=row.class_name)
    return student


def _ingest_visit(record_uuid, revision, data, captured_at, user, device_id):
    key = str(record_uuid)
    row = SchoolVisit.get_or_none(SchoolVisit.uuid == record_uuid)
    if _foreign(row, user):
        return RecordResult(key, revision, "invalid", {"_record": _l("This record belongs to another centre.")})
    if row is not None and revision <= row.revision:
        status = "accepted" if revision == row.revision else "stale"
        return RecordResult(key, revision, status, server_revision=row.revision)
    clean, errors = clean_school_visit(data, user.centre)
    if errors:
        return RecordResult(key, revision, "invalid", errors,
                            server_revision=row.revision if row else None)
    if row is None:
        row = SchoolVisit(centre=user.centre, uuid=record_uuid, captured_by=user,
                          device_id=device_id, captured_at=captured_at)
    for name, value in clean.items():
        setattr(row, name, value)
    row.revision = revision
    row.save()
    return RecordResult(key, revision, "accepted", server_revision=row.revision)
