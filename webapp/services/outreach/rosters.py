"""Graduate rosters (花名册): a school's leavers, uploaded as XLSX or CSV, replacing the last upload.

A roster is all or nothing: one bad row and nothing is written, so a school's roster is never
half old and half new. Pre-registrations captured at the school are linked to their roster row.
"""

from dataclasses import dataclass, field
from typing import IO, NamedTuple

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from peewee import ModelSelect, fn

from webapp.db import database, is_sqlite
from webapp.models import Centre, PreRegistration, RosterEntry, RosterImport, School, User, bulk_insert
from webapp.services.common import audit, table_files
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile

LIMITS = table_files.Limits(max_bytes=5 * 1024 * 1024, max_rows=5000)
MAX_TEXT = 50
REQUIRED = ("name", "id_number")
FIELD_LABELS = {
    "name": _l("Name"),
    "id_number": _l("Resident ID number"),
    "class_name": _l("Class"),
    "mobile": _l("Mobile number"),
}
HEADER_ALIASES = {
    "name": ("姓名", "学生姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "身份证", "id number", "id_number", "id no."),
    "class_name": ("班级", "class", "class name", "class_name"),
    "mobile": ("手机", "手机号", "手机号码", "mobile", "mobile number"),
}
HEADERS = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}

RosterError = table_files.TableFileError


class RowError(NamedTuple):
    row: int
    field: str
    message: str

    @property
    def column(self) -> LazyString:
        return FIELD_LABELS[self.field]


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    roster_import: RosterImport = None
    rows: int = 0
    matched: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_roster(filename: str | None, stream: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    """[(row number, {field: text})] for the non-empty rows under the header row."""
    found = table_files.rows(filename, table_files.read_bytes(stream, LIMITS), LIMITS)
    _number, header = next(found)
    columns = _columns(header)
    return [
        (number, {key: values[i] if i < len(values) else "" for key, i in columns.items()})
        for number, values in found
    ]


def _columns(header):
    """{field: column index} from the header row; the name and ID number columns must be there."""
    columns = {}
    for index, title in enumerate(header):
        key = HEADERS.get(table_files.normalise_header(title))
        if key and key not in columns:
            columns[key] = index
    missing = [str(FIELD_LABELS[key]) for key in REQUIRED if key not in columns]
    if missing:
        raise RosterError(
            _l(
                "Columns missing: %(columns)s. The first row must name the columns, "
                "e.g. 姓名, 身份证号, 班级, 手机号.",
                columns=", ".join(missing),
            )
        )
    return columns


def check_rows(rows: list[tuple[int, dict[str, str]]]) -> tuple[list[dict], list[RowError]]:
    """(entries, errors): clean values for each row, or every problem found, by row and field."""
    entries, errors, seen = [], [], {}
    for number, values in rows:
        before = len(errors)
        name, class_name = values["name"], values.get("class_name", "")
        if not name:
            errors.append(RowError(number, "name", _l("Enter the name.")))
        elif len(name) > MAX_TEXT:
            errors.append(RowError(number, "name", _l("At most %(n)d characters.", n=MAX_TEXT)))
        if len(class_name) > MAX_TEXT:
            errors.append(RowError(number, "class_name", _l("At most %(n)d characters.", n=MAX_TEXT)))
        id_number = _check_id_number(number, values["id_number"], seen, errors)
        mobile = values.get("mobile", "")
        if mobile:
            try:
                mobile = check_mobile(mobile)
            except InvalidMobile as exc:
                errors.append(RowError(number, "mobile", exc.message))
        if len(errors) == before:
            entries.append({"id_number": id_number, "name": name, "class_name": class_name, "mobile": mobile})
    return entries, errors


def _check_id_number(number, value, seen, errors):
    try:
        id_number = table_files.id_number_cell(value)
    except table_files.CellError as exc:
        errors.append(RowError(number, "id_number", exc.message))
        return None
    if id_number in seen:
        errors.append(
            RowError(
                number, "id_number", _l("The same ID number is already on row %(row)d.", row=seen[id_number])
            )
        )
        return None
    seen[id_number] = number
    return id_number


def import_roster(school: School, filename: str | None, stream: IO[bytes], user: User | None) -> ImportResult:
    """Replace the school's roster with the file's rows, or write nothing and report why.

    RosterError for a file that cannot be used at all; otherwise an ImportResult whose errors
    list every bad row.
    """
    entries, errors = check_rows(parse_roster(filename, stream))
    if errors:
        return ImportResult(errors=errors)
    with database.atomic():
        if not is_sqlite():  # one import per school at a time; SQLite has a single writer anyway
            School.select(School.id).where(School.id == school.id).for_update().execute()
        roster_import = RosterImport.create(
            centre=school.centre,
            school=school,
            filename=(filename or "")[:255],
            rows=len(entries),
            imported_by=user,
        )
        old_entries = RosterEntry.select(RosterEntry.id).where(RosterEntry.school == school)
        (
            PreRegistration.update(roster_entry=None)
            .where(PreRegistration.roster_entry.in_(old_entries) | (PreRegistration.school == school))
            .execute()
        )
        RosterEntry.delete().where(RosterEntry.school == school).execute()
        bulk_insert(
            RosterEntry,
            (
                dict(
                    row,
                    id_number_index=row["id_number"],
                    centre=school.centre,
                    school=school,
                    roster_import=roster_import,
                )
                for row in entries
            ),
        )
        matched = _link_pre_registrations(school)
        audit.record("roster.import", roster_import, rows=len(entries), matched=matched)
    return ImportResult(roster_import=roster_import, rows=len(entries), matched=matched)


def _link_pre_registrations(school):
    """Point the school's pre-registrations at their roster row; return how many matched."""
    Entry = RosterEntry.alias()
    entry_for = Entry.select(Entry.id).where(
        (Entry.school == school) & (Entry.id_number_index == PreRegistration.id_number_index)
    )
    on_roster = RosterEntry.select(RosterEntry.id_number_index).where(RosterEntry.school == school)
    return (
        PreRegistration.update(roster_entry=entry_for)
        .where((PreRegistration.school == school) & PreRegistration.id_number_index.in_(on_roster))
        .execute()
    )


def roster_for_school(school: School) -> ModelSelect:
    return (
        RosterEntry.select()
        .where(RosterEntry.school == school)
        .order_by(RosterEntry.class_name, RosterEntry.name)
    )


class SchoolRoster(NamedTuple):
    school: School
    entries: int
    last_imported_at: object


def active_schools(centre: Centre) -> ModelSelect:
    return School.select().where((School.centre == centre) & School.active).order_by(School.name)


def roster_overview(centre: Centre) -> list[SchoolRoster]:
    """Each active school of the centre with its roster size and when it was last imported."""
    sizes = dict(
        RosterEntry.select(RosterEntry.school, fn.COUNT(RosterEntry.id))
        .where(RosterEntry.centre == centre)
        .group_by(RosterEntry.school)
        .tuples()
    )
    latest = dict(
        RosterImport.select(RosterImport.school, fn.MAX(RosterImport.imported_at))
        .where(RosterImport.centre == centre)
        .group_by(RosterImport.school)
        .tuples()
    )
    return [
        SchoolRoster(school, sizes.get(school.id, 0), latest.get(school.id))
        for school in active_schools(centre)
    ]
