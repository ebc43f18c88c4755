"""The season's loans here against the national system's contract list: matched, in the
national list only, accepted here only, differing in amount, contract number or receipt code, or
a renewal still without a contract of its own.

Students are paired by ID number (its blind index). A date range keeps the students whose loan
falls in it on either side, and compares each with the other side whatever its date, so a loan
accepted on the 20th and signed in the national system on the 21st is not shown missing twice.
A difference the centre looked into carries a note; it shows again if either side changes.
"""

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from peewee import chunked, fn

from webapp.clock import local_date
from webapp.db import database
from webapp.i18n import DISCREPANCY_LABELS, NATIONAL_FIELD_LABELS
from webapp.models import (
    Application,
    NationalContract,
    ReconciliationNote,
    Season,
    Student,
    User,
    utcnow,
)
from webapp.services.casework.season_loans import is_loan
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.vocabulary import AuditAction, Discrepancy, NationalField, Service

COMPARED = (NationalField.AMOUNT, NationalField.CONTRACT_NUMBER, NationalField.RECEIPT_CODE)
MAX_NOTE = 500


@dataclass(frozen=True)
class Side:
    """One side's view of a student's loan."""

    name: str
    contract_number: str
    receipt_code: str
    amount: int | None
    day: date | None
    student_id: int | None = None  # here
    application_id: int | None = None  # here
    renewal: bool = False  # here: each year's renewal has a contract of its own

    def values(self) -> dict:
        return {
            NationalField.NAME: self.name,
            NationalField.CONTRACT_NUMBER: self.contract_number,
            NationalField.RECEIPT_CODE: self.receipt_code,
            NationalField.AMOUNT: self.amount,
            NationalField.DATE: self.day.isoformat() if self.day else "",
        }


@dataclass
class Line:
    key: str  # the ID number's blind index
    here: Side | None
    national: Side | None
    differing: tuple = ()
    note: ReconciliationNote | None = None

    @property
    def discrepancy(self) -> Discrepancy:
        if self.here is not None and self.here.renewal and not self.here.contract_number:
            return Discrepancy.NO_CONTRACT
        if self.here is None:
            return Discrepancy.NATIONAL_ONLY
        if self.national is None:
            return Discrepancy.HERE_ONLY
        return Discrepancy.DIFFERING if self.differing else Discrepancy.MATCHED

    @property
    def name(self) -> str:
        return (self.here or self.national).name

    @property
    def fingerprint(self) -> str:
        sides = [side.values() if side else None for side in (self.here, self.national)]
        return hashlib.sha256(json.dumps(sides, sort_keys=True, default=str).encode()).hexdigest()

    @property
    def resolved(self) -> bool:
        return self.note is not None and self.note.fingerprint == self.fingerprint


@dataclass
class Comparison:
    season: Season
    start: date | None
    end: date | None
    lines: list[Line] = field(default_factory=list)
    national_rows: int = 0  # the season's whole national list, whatever the range

    @property
    def counts(self) -> Counter:
        return Counter(line.discrepancy for line in self.lines)

    @property
    def differences(self) -> list[Line]:
        """Open differences first, then resolved ones; by name within each."""
        found = [line for line in self.lines if line.discrepancy != Discrepancy.MATCHED]
        return sorted(found, key=lambda line: (line.resolved, line.discrepancy, line.name))

    @property
    def open_count(self) -> int:
        return sum(1 for line in self.differences if not line.resolved)


def _here(season):
    query = (
        Application.select(
            Student.id_number_index,
            Student.name,
            Application.contract_number,
            Application.receipt_code,
            Application.amount_requested,
            fn.COALESCE(Application.accepted_at, Application.reviewed_at).python_value(
                Application.accepted_at.python_value
            ),
            Student.id,
            Application.id,
            Application.kind,
        )
        .join(Student)
        .where((Application.season == season) & is_loan())
        .tuples()
    )
    return {
        key: Side(
            name,
            contract or "",
            code or "",
            amount,
            local_date(when) if when else None,
            student,
            application,
            kind == Service.RENEWAL,
        )
        for key, name, contract, code, amount, when, student, application, kind in query
    }


def _national(season):
    query = NationalContract.select(
        NationalContract.id_number_index,
        NationalContract.name,
        NationalContract.contract_number,
        NationalContract.receipt_code,
        NationalContract.amount,
        NationalContract.contract_date,
    ).where(NationalContract.season == season)
    return {
        key: Side(name, contract, code, amount, day)
        for key, name, contract, code, amount, day in query.tuples()
    }


def _in_range(side, start, end):
    if side is None:
        return False
    if side.day is None:
        return True
    return (start is None or side.day >= start) and (end is None or side.day <= end)


def differing_fields(here: Side, national: Side) -> tuple:
    """The compared fields whose values differ; a value missing on one side is not a difference
    (a renewal still without its own contract shows as such, Discrepancy.NO_CONTRACT)."""
    found = []
    for key in COMPARED:
        ours, theirs = here.values()[key], national.values()[key]
        if ours not in ("", None) and theirs not in ("", None) and ours != theirs:
            found.append(key)
    return tuple(found)


def compare(season: Season, start: date | None = None, end: date | None = None) -> Comparison:
    here, national = _here(season), _national(season)
    notes = {
        note.id_number_index: note
        for note in ReconciliationNote.select().where(ReconciliationNote.season == season)
    }
    comparison = Comparison(season, start, end, national_rows=len(national))
    for key in here.keys() | national.keys():
        ours, theirs = here.get(key), national.get(key)
        if not (_in_range(ours, start, end) or _in_range(theirs, start, end)):
            continue
        differing = differing_fields(ours, theirs) if ours and theirs else ()
        comparison.lines.append(Line(key, ours, theirs, differing, notes.get(key)))
    return comparison


class ReconciliationError(RuleError):
    status = 422


def resolve(season: Season, key: str, note: str, user: User) -> ReconciliationNote:
    """Mark the student's difference looked into, with what was found or done."""
    note = (note or "").strip()
    if not note:
        raise ReconciliationError(_l("Write what you found or did, for whoever looks next."))
    if len(note) > MAX_NOTE:
        raise ReconciliationError(_l("At most %(n)d characters.", n=MAX_NOTE))
    line = next((line for line in compare(season).lines if line.key == key), None)
    if line is None or line.discrepancy == Discrepancy.MATCHED:
        raise ReconciliationError(_l("This difference is no longer there; reload the page."), status=409)
    with database.atomic():
        saved = ReconciliationNote.get_or_none(
            (ReconciliationNote.season == season) & (ReconciliationNote.id_number_index == line.key)
        ) or ReconciliationNote(centre=season.centre, season=season, id_number_index=line.key)
        saved.id_number_index = line.key
        saved.fingerprint, saved.note, saved.resolved_by = line.fingerprint, note, user
        saved.resolved_at = utcnow()
        saved.save()
        audit.record(
            AuditAction.NATIONAL_RESOLVED,
            saved,
            student=line.name,
            difference=line.discrepancy.value,
            fields=list(line.differing),
            note=note,
        )
    return saved


DIFFERENCE_COLUMNS = [
    _l("Difference"),
    _l("Student name"),
    _l("Resident ID number"),
    _l("Fields that differ"),
    _l("Contract number here"),
    _l("Contract number in the national list"),
    _l("Receipt verification code here"),
    _l("Receipt verification code in the national list"),
    _l("Amount here (yuan)"),
    _l("Amount in the national list (yuan)"),
    _l("Accepted here on"),
    _l("Date in the national list"),
    _l("Resolution note"),
]


def _id_numbers(season, keys):
    """{blind index: ID number} for the students of keys, from either side."""
    found = {}
    for batch in chunked(keys, 500):
        for model in (NationalContract, Student):
            query = model.select(model.id_number_index, model.id_number).where(
                model.id_number_index.in_(batch)
            )
            if model is NationalContract:
                query = query.where(NationalContract.season == season)
            found.update(query.tuples())
    return found


def difference_rows(comparison: Comparison):
    """The differences as rows in DIFFERENCE_COLUMNS order, for the XLSX export."""
    lines = comparison.differences
    id_numbers = _id_numbers(comparison.season, [line.key for line in lines])
    for line in lines:
        ours = line.here.values() if line.here else {}
        theirs = line.national.values() if line.national else {}
        yield [
            str(DISCREPANCY_LABELS[line.discrepancy]),
            line.name,
            id_numbers.get(line.key, ""),
            ", ".join(str(NATIONAL_FIELD_LABELS[key]) for key in line.differing),
            ours.get(NationalField.CONTRACT_NUMBER, ""),
            theirs.get(NationalField.CONTRACT_NUMBER, ""),
            ours.get(NationalField.RECEIPT_CODE, ""),
            theirs.get(NationalField.RECEIPT_CODE, ""),
            ours.get(NationalField.AMOUNT, ""),
            theirs.get(NationalField.AMOUNT, ""),
            ours.get(NationalField.DATE, ""),
            theirs.get(NationalField.DATE, ""),
            line.note.note if line.resolved else "",
        ]


def _listed_with(season, column, value):
    """The national list's row holding that contract number or code, if any."""
    if not value:
        return None
    return NationalContract.get_or_none((NationalContract.season == season) & (column == value))


def desk_mismatches(application: Application, contract_number: str, receipt_code: str) -> list[str]:
    """What the imported national list says against the codes a clerk is typing or scanning:
    another contract number or code for this student, or the typed one belonging to another
    student. Empty when they agree or the list knows nothing of either."""
    season = application.season
    contract_number, receipt_code = (contract_number or "").strip(), (receipt_code or "").strip()
    listed = NationalContract.get_or_none(
        (NationalContract.season == season)
        & (NationalContract.id_number_index == application.student.id_number_index)
    )
    found = []
    if listed is not None:
        if contract_number and contract_number != listed.contract_number:
            found.append(
                _l(
                    "The national list has contract number %(number)s for this student.",
                    number=listed.contract_number,
                )
            )
        if receipt_code and listed.receipt_code and receipt_code != listed.receipt_code:
            found.append(
                _l(
                    "The national list has receipt verification code %(code)s for this student.",
                    code=listed.receipt_code,
                )
            )
        if application.amount_requested and application.amount_requested != listed.amount:
            found.append(
                _l(
                    "The national list has %(amount)d yuan a year; this application has %(ours)d.",
                    amount=listed.amount,
                    ours=application.amount_requested,
                )
            )
        return found
    if other := _listed_with(season, NationalContract.contract_number, contract_number):
        found.append(
            _l(
                "In the national list, contract number %(value)s is %(name)s's.",
                value=contract_number,
                name=other.name,
            )
        )
    if other := _listed_with(season, NationalContract.receipt_code, receipt_code):
        found.append(
            _l(
                "In the national list, receipt verification code %(value)s is %(name)s's.",
                value=receipt_code,
                name=other.name,
            )
        )
    return found
