"""Idempotent ingest of records captured offline (docs/domain.md section 5).

The device gives every record a UUID and a revision. The server keeps one row per UUID holding
the newest valid revision it has seen; every record gets its own answer, and one bad record never
blocks the others:

- accepted / possible_duplicate: stored (the ID number was already known: kept and flagged);
- invalid: field errors to show next to the record; nothing valid is overwritten;
- stale: the server already holds a newer revision;
- closed: the centre already merged or rejected the record;
- held: captured by another user, who never worked on this device: nothing is stored, the
  device keeps the record until its capturer signs in (services/outreach/capture_devices.py).

A record is stored as captured by the user it names (captured_by), not by whoever's session
sends it. The batch carries the device's clock (device_time): the difference is stored with
each record and odd times are flagged (services/outreach/device_clock.py), never corrected.

A batch is worked out in memory from a few look-ups (its UUIDs, ID numbers, schools, students,
roster rows) and written with bulk inserts, so that a phone's day of records lands in moments.
"""

import json
import uuid as uuidlib
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from webapp import id_crypto
from webapp.db import database, lock_keys
from webapp.input_checks import MAX_RECORD_ID
from webapp.models import (
    PreRegistration,
    RosterEntry,
    School,
    SchoolVisit,
    Student,
    User,
    bulk_insert,
    utcnow,
)
from webapp.models.fields import Digest
from webapp.services.casework import borrowers
from webapp.services.centre.seasons import current_season
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.services.outreach import capture_devices, device_clock
from webapp.services.outreach.prereg_rules import (
    PREREG_FIELDS,
    clean_pre_registration,
    clean_school_visit,
    parse_device_time,
)
from webapp.vocabulary import PreregStatus, SyncResult

MAX_BATCH = 200
EXPORT_FORMAT = "studentloan-outbox"
KINDS = ("pre_registration", "school_visit")
CLOSED = (PreregStatus.MERGED, PreregStatus.REJECTED)
KNOWN = (PreregStatus.ACCEPTED, PreregStatus.POSSIBLE_DUPLICATE)


class BatchError(RuleError):
    """The envelope itself is unusable; status is the HTTP status to answer with."""

    status = 400


@dataclass
class RecordResult:
    uuid: str
    revision: object
    status: str
    errors: dict = field(default_factory=dict)
    server_revision: int | None = None

    def as_dict(self) -> dict:
        return {
            "uuid": self.uuid,
            "revision": self.revision,
            "status": self.status,
            "errors": {k: str(v) for k, v in self.errors.items()},
            "server_revision": self.server_revision,
        }


@dataclass
class _Record:
    """One record of a batch, with its header checked."""

    uuid: uuidlib.UUID
    revision: int
    kind: str
    data: dict
    captured_at: object
    captured_by: str


@dataclass
class _Sender:
    """Who sends a batch, from which device, for whom by default, and whether they vouch for
    the capturers the records name (an administrator importing a file does)."""

    user: User
    device_id: str
    default_capturer: User
    vouched: bool = False


def ingest_batch(payload: object, user: User, device_id: str = "") -> list[RecordResult]:
    """Store a batch a device sent under user's session; one RecordResult per record, in order."""
    records = _records_of(payload)
    device_id = str(payload.get("device_id") or device_id or "")[:64]
    capture_devices.register(user, device_id)
    return _ingest(records, _Sender(user, device_id, user), payload.get("device_time"))


def import_exported(payload: object, user: User, owner: User | None = None) -> list[RecordResult]:
    """Records from a device's "export unsent records" file, under the same rules as a sync;
    user imports them, owner is the staff member the file says captured them."""
    if not isinstance(payload, dict) or payload.get("format") != EXPORT_FORMAT:
        raise BatchError(_l("The file is not an export of unsent records."))
    records = payload.get("records")
    if not isinstance(records, list):
        raise BatchError(_l("The file is not an export of unsent records."))
    sender = _Sender(user, str(payload.get("device_id", ""))[:64], owner or user, vouched=True)
    results = []
    for start in range(0, len(records), MAX_BATCH):
        chunk = _records_of({"records": records[start : start + MAX_BATCH]})
        results += _ingest(chunk, sender, payload.get("exported_at"))
    return results


def _records_of(payload):
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        raise BatchError(_l("Send a JSON object with a list of records."))
    records = payload["records"]
    if len(records) > MAX_BATCH:
        raise BatchError(_l("Send at most %(n)d records at a time.", n=MAX_BATCH), status=413)
    return records


def _ingest(records, sender, device_time):
    with database.atomic():
        batch = _Batch(sender, [_header(raw) for raw in records], parse_device_time(device_time))
        results = [
            batch.ingest(record) if isinstance(record, _Record) else record for record in batch.records
        ]
        batch.flush()
    return results


def _header(raw):
    """A _Record, or the RecordResult refusing a record whose header is unusable."""
    raw = raw if isinstance(raw, dict) else {}
    record_uuid, revision = str(raw.get("uuid", ""))[:64], raw.get("revision")
    try:
        parsed = uuidlib.UUID(record_uuid)
    except ValueError:
        return RecordResult(
            record_uuid, revision, SyncResult.INVALID, {"_record": _l("The record has no valid identifier.")}
        )
    if isinstance(revision, bool) or not isinstance(revision, int) or not 1 <= revision <= MAX_RECORD_ID:
        return RecordResult(
            record_uuid, revision, SyncResult.INVALID, {"_record": _l("The record has no valid revision.")}
        )
    kind = raw.get("kind", "pre_registration")
    if kind not in KINDS:
        return RecordResult(
            record_uuid, revision, SyncResult.INVALID, {"_record": _l("Unknown kind of record.")}
        )
    data = raw.get("data") if isinstance(raw.get("data"), dict) else {}
    captured_by = raw.get("captured_by")
    return _Record(
        parsed,
        revision,
        kind,
        data,
        parse_device_time(raw.get("captured_at")),
        captured_by[:64] if isinstance(captured_by, str) else "",
    )


class _Batch:
    """Everything one batch needs from the database, fetched up front, and what it will write."""

    def __init__(self, sender, records, device_time):
        self.user, self.centre, self.device_id = sender.user, sender.user.centre, sender.device_id
        self.sender = sender
        self.records = records
        self.arrived_at = utcnow()
        self.skew = device_clock.skew_seconds(device_time, self.arrived_at)
        self.today = device_clock.latest_day(self.arrived_at, self.skew)
        parsed = [r for r in records if isinstance(r, _Record)]
        self.capturers = {sender.user.username: sender.user, "": sender.default_capturer}
        self.capturers.update(
            capture_devices.capturers(
                sender.user, {r.captured_by for r in parsed}, self.device_id, vouched=sender.vouched
            )
        )
        preregs = [r for r in parsed if r.kind == "pre_registration"]
        visits = [r for r in parsed if r.kind == "school_visit"]
        raw_numbers = {str(r.data.get("id_number", "")).strip().upper() for r in preregs}
        lock_keys(sorted({str(r.uuid) for r in parsed} | raw_numbers))
        self.schools = {
            s.id: s for s in School.select().where((School.centre == self.centre) & School.active)
        }
        self.rows = (
            {
                r.uuid: r
                for r in PreRegistration.select().where(PreRegistration.uuid.in_([r.uuid for r in preregs]))
            }
            if preregs
            else {}
        )
        self.visits = (
            {v.uuid: v for v in SchoolVisit.select().where(SchoolVisit.uuid.in_([r.uuid for r in visits]))}
            if visits
            else {}
        )
        self._cleaned = {}
        season = current_season(self.centre) if preregs else None
        for record in preregs:
            self._cleaned[id(record)] = clean_pre_registration(
                record.data, self.centre, today=self.today, schools=self.schools, season=season
            )
        self._guardians_who_borrow(season.year if season else self.today.year)
        numbers = {clean["id_number"] for clean, errors in self._cleaned.values() if not errors}
        # each number's blind index, worked out once: every look-up below compares indexes
        self.numbers = {Digest(id_crypto.blind_index(number)): number for number in numbers}
        self.students, self.first_known, self.elsewhere, self.roster = {}, {}, set(), {}
        if numbers:
            self._look_up_numbers(list(self.numbers))
        self.new_students = {}
        self.new_rows = {}
        self.new_visits = []

    def _guardians_who_borrow(self, year):
        """A guardian who borrows cannot be the co-borrower (services/casework/borrowers.py):
        one look-up for the batch."""
        cleaned = self._cleaned.values()
        numbers = {
            clean["guardian_id_number"] for clean, errors in cleaned if "guardian_id_number" not in errors
        }
        borrowing = borrowers.borrowers_among(numbers, year)
        for clean, errors in cleaned:
            if clean["guardian_id_number"] in borrowing and "guardian_id_number" not in errors:
                errors["guardian_id_number"] = borrowers.BORROWS_ALREADY

    def _look_up_numbers(self, digests):
        """Who already holds the batch's ID numbers: this centre's students and kept records
        (the first of each number), another centre's (a province matter), the roster."""
        for student_id, centre_id, digest in (
            Student.select(Student.id, Student.centre, Student.id_number_index)
            .where(Student.id_number_index.in_(digests))
            .tuples()
        ):
            if centre_id == self.centre.id:
                self.students[self.numbers[digest]] = student_id
            else:
                self.elsewhere.add(self.numbers[digest])
        for row_id, centre_id, digest, row_uuid in (
            PreRegistration.select(
                PreRegistration.id,
                PreRegistration.centre,
                PreRegistration.id_number_index,
                PreRegistration.uuid,
            )
            .where(PreRegistration.id_number_index.in_(digests) & PreRegistration.status.in_(KNOWN))
            .order_by(PreRegistration.id)
            .tuples()
        ):
            if centre_id == self.centre.id:
                self.first_known.setdefault(self.numbers[digest], (row_id, row_uuid))
            else:
                self.elsewhere.add(self.numbers[digest])
        for entry_id, school_id, digest in (
            RosterEntry.select(RosterEntry.id, RosterEntry.school, RosterEntry.id_number_index)
            .where((RosterEntry.centre == self.centre) & RosterEntry.id_number_index.in_(digests))
            .tuples()
        ):
            self.roster[(school_id, self.numbers[digest])] = entry_id
            self.roster.setdefault((None, self.numbers[digest]), entry_id)

    # -- answering ------------------------------------------------------------------------------

    def ingest(self, record):
        if record.captured_by not in self.capturers:
            return RecordResult(str(record.uuid), record.revision, SyncResult.HELD)
        if record.kind == "school_visit":
            return self._visit(record)
        key = str(record.uuid)
        row = self.rows.get(record.uuid) or self.new_rows.get(record.uuid)
        if row is not None and row.centre_id != self.centre.id:
            return RecordResult(
                key,
                record.revision,
                SyncResult.INVALID,
                {"_record": _l("This record belongs to another centre.")},
            )
        if row is not None:
            early = _answer_from_stored(row, record.revision)
            if early is not None:
                return early
        clean, errors = self._cleaned[id(record)]
        if errors:
            return self._invalid(row, record, errors)
        if row is None:
            row = self._new_row(PreRegistration, record)
            self.new_rows[record.uuid] = row
        elif row.id is not None:
            audit.record(
                "prereg.revised", row, actor=self.user, revision=record.revision, device=self.device_id
            )
        self._apply(row, clean, record.revision)
        if row.id is not None:
            row.save()
        return RecordResult(key, record.revision, row.status, server_revision=row.revision)

    def _invalid(self, row, record, errors):
        """Keep what the device sent, for the review queue, without touching valid data."""
        key = str(record.uuid)
        if row is not None and row.invalid_revision and record.revision < row.invalid_revision:
            return RecordResult(key, record.revision, SyncResult.STALE, server_revision=row.revision)
        if row is None:
            row = self._new_row(PreRegistration, record, status=PreregStatus.INVALID)
            self.new_rows[record.uuid] = row
        if row.status == PreregStatus.INVALID:
            # Never valid so far: the columns show the newest thing the device sent.
            row.revision = record.revision
            row.name = str(record.data.get("name", ""))[:50]
            row.id_number = str(record.data.get("id_number", ""))[:18]
        row.invalid_payload = json.dumps(record.data, ensure_ascii=False, default=str)[:20000]
        row.field_errors = json.dumps({k: str(v) for k, v in errors.items()}, ensure_ascii=False)
        row.invalid_revision = record.revision
        row.updated_at = utcnow()
        if row.id is not None:
            row.save()
        return RecordResult(
            key,
            record.revision,
            SyncResult.INVALID,
            errors,
            server_revision=None if row.status == PreregStatus.INVALID else row.revision,
        )

    def _apply(self, row, clean, revision):
        for name in PREREG_FIELDS:
            setattr(row, name, clean[name])
        row.school = clean["school"]
        row.revision = revision
        row.updated_at = utcnow()
        if row.invalid_revision is None or revision >= row.invalid_revision:
            row.invalid_payload = row.field_errors = ""
            row.invalid_revision = None
        if not (row.status == PreregStatus.ACCEPTED and row.reviewed_at is not None):  # kept by a reviewer
            earlier = self.first_known.get(row.id_number)
            if earlier is not None and earlier[1] == row.uuid:
                earlier = None
            row.duplicate_of_id, row.duplicate_of_uuid = earlier if earlier else (None, None)
            row.status = PreregStatus.POSSIBLE_DUPLICATE if earlier else PreregStatus.ACCEPTED
        if row.id_number not in self.first_known:
            self.first_known[row.id_number] = (row.id, row.uuid)
        row.roster_entry_id = self.roster.get((row.school_id, row.id_number)) or self.roster.get(
            (None, row.id_number)
        )
        self._link_student(row, clean["resident_id"])

    def _link_student(self, row, rid):
        """The student with this ID number; created from the pre-registration when new."""
        row.known_elsewhere = row.id_number in self.elsewhere
        if row.known_elsewhere:
            row.student_id = None  # a province matter: never linked to another centre's student
        elif row.id_number in self.students:
            row.student_id = self.students[row.id_number]
        elif row.id_number not in self.new_students:
            self.new_students[row.id_number] = {
                "centre": self.centre.id,
                "id_number": rid.number,
                "name": row.name,
                "birth_date": rid.birth_date,
                "sex": rid.sex,
                "mobile": row.mobile,
                "school": row.school_id,
                "class_name": row.class_name,
                "created_at": utcnow(),
            }

    def _visit(self, record):
        key = str(record.uuid)
        row = self.visits.get(record.uuid)
        if row is not None and row.centre_id != self.centre.id:
            return RecordResult(
                key,
                record.revision,
                SyncResult.INVALID,
                {"_record": _l("This record belongs to another centre.")},
            )
        if row is not None and record.revision <= row.revision:
            status = SyncResult.ACCEPTED if record.revision == row.revision else SyncResult.STALE
            return RecordResult(key, record.revision, status, server_revision=row.revision)
        clean, errors = clean_school_visit(record.data, self.centre, today=self.today, schools=self.schools)
        if errors:
            return RecordResult(
                key,
                record.revision,
                SyncResult.INVALID,
                errors,
                server_revision=row.revision if row else None,
            )
        if row is None:
            row = self._new_row(SchoolVisit, record)
            self.visits[record.uuid] = row
            self.new_visits.append(row)
        for name, value in clean.items():
            setattr(row, name, value)
        row.revision = record.revision
        if row.id is not None:
            row.save()
        return RecordResult(key, record.revision, SyncResult.ACCEPTED, server_revision=row.revision)

    def _new_row(self, model, record, **values):
        """A new stored record: its capturer, who sent it when that is someone else, and what
        the device's clock said."""
        capturer = self.capturers[record.captured_by]
        return model(
            centre=self.centre,
            uuid=record.uuid,
            captured_by=capturer,
            sent_by=None if capturer.id == self.user.id else self.user,
            device_id=self.device_id,
            captured_at=record.captured_at,
            received_at=self.arrived_at,
            clock_skew=self.skew,
            clock_flag=device_clock.flag(record.captured_at, self.arrived_at, self.skew),
            **values,
        )

    # -- writing --------------------------------------------------------------------------------

    def flush(self):
        """Bulk-insert new students, then new pre-registrations (first those that point at no
        new record, then duplicates of records new in this batch), then visits."""
        if self.new_students:
            created = bulk_insert(
                Student,
                [Student(**values) for values in self.new_students.values()],
                returning=(Student.id_number_index, Student.id),
            )
            self.students.update((self.numbers[digest], student_id) for digest, student_id in created)
        new = list(self.new_rows.values())
        for row in new:
            if row.status != PreregStatus.INVALID and not row.known_elsewhere:
                row.student_id = self.students[row.id_number]
        ids = {row_uuid: row_id for row_id, row_uuid in self.first_known.values() if row_id}
        target = lambda row: getattr(row, "duplicate_of_uuid", None)  # noqa: E731
        for group in (
            [r for r in new if target(r) not in self.new_rows],
            [r for r in new if target(r) in self.new_rows],
        ):
            if group:
                for row in group:
                    row.duplicate_of_id = ids.get(target(row))
                ids.update(
                    bulk_insert(PreRegistration, group, returning=(PreRegistration.uuid, PreRegistration.id))
                )
        for row in self.rows.values():
            # an older row that became a duplicate of a record new in this batch
            if target(row) in self.new_rows and row.status == PreregStatus.POSSIBLE_DUPLICATE:
                row.duplicate_of_id = ids[target(row)]
                row.save(only=[PreRegistration.duplicate_of])
        if self.new_visits:
            bulk_insert(SchoolVisit, self.new_visits)


def _answer_from_stored(row, revision):
    """The answer when the stored row already settles this revision, else None."""
    key = str(row.uuid)
    if row.status in CLOSED:
        return RecordResult(key, revision, SyncResult.CLOSED, server_revision=row.revision)
    if row.status != PreregStatus.INVALID:
        if revision == row.revision:
            return RecordResult(key, revision, row.status, server_revision=row.revision)
        if revision < row.revision:
            return RecordResult(key, revision, SyncResult.STALE, server_revision=row.revision)
    if row.invalid_revision == revision and row.field_errors:
        return RecordResult(
            key,
            revision,
            SyncResult.INVALID,
            json.loads(row.field_errors),
            server_revision=None if row.status == PreregStatus.INVALID else row.revision,
        )
    return None
