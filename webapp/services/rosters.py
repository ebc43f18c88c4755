"""Graduate rosters (花名册): a school's leavers, uploaded as XLSX or CSV, replacing the last upload.

A roster is all or nothing: one bad row and nothing is written, so a school's roster is never
half old and half new. Pre-registrations captured at the school are linked to their roster row.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO, NamedTuple

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from openpyxl import load_workbook
from peewee import ModelSelect, chunked, fn

from webapp.db import database, is_sqlite
from webapp.models import Centre, PreRegistration, RosterEntry, RosterImport, School, User

from . import audit
from .errors import RuleError
from .id_numbers import InvalidIdNumber, parse_id_number
from .mobile_numbers import InvalidMobile, check_mobile

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# A workbook is a zip: what it unpacks to, and the sheet size it declares, are checked before
# openpyxl reads a row (a 558 KB file can unpack to 196 MB and hold a worker for minutes).
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_DECLARED_ROWS, MAX_DECLARED_COLUMNS = 1_048_576, 200
DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
MAX_TEXT = 50
INSERT_CHUNK = 100  # rows per INSERT, well under SQLite's bound-parameter limit
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
# What Excel shows for a long number it stored as a float, e.g. 1.40623E+17.
SCIENTIFIC_RE = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
# Excel keeps 15 significant digits, so larger numbers in numeric cells have lost digits.
EXACT_FLOAT_LIMIT = 10**15


class RosterError(RuleError):
    """The file as a whole cannot be used; message says what to change."""

    status = 422


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


def _normalise_header(value):
    return " ".join(unicodedata.normalize("NFKC", value).split()).lower()


def _cell_text(value):
    """A cell as text: whole numbers lose the '.0', big floats read as Excel shows them."""
    if value is None:
        return ""
    if isinstance(value, float):
        if not value.is_integer():
            return str(value)
        if abs(value) >= EXACT_FLOAT_LIMIT:
            return f"{value:.5E}"
        value = int(value)
    return str(value).replace("\x00", "").strip()


def _read_bytes(stream):
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise RosterError(
            _l(
                "The file is larger than %(mb)d MB. Remove other sheets and pictures, or split the roster.",
                mb=MAX_BYTES // (1024 * 1024),
            )
        )
    return data


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_workbook_size(data):
    """RosterError when the workbook unpacks to far more than a roster, or its sheets declare
    an absurd size; nothing is decompressed beyond a sheet's first kilobytes."""
    too_big = RosterError(
        _l(
            "This workbook unpacks to far more than a roster of %(rows)d rows. Save only the roster's sheet, without pictures, and try again.",
            rows=MAX_ROWS,
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise too_big
            for member in members:
                if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                    with archive.open(member) as sheet:
                        match = DIMENSION_RE.search(sheet.read(4096))
                    if match and (
                        int(match.group(2)) > MAX_DECLARED_ROWS
                        or _column_number(match.group(1)) > MAX_DECLARED_COLUMNS
                    ):
                        raise too_big
    except zipfile.BadZipFile:
        raise RosterError(_l("The file could not be read as an Excel workbook (.xlsx).")) from None


def _xlsx_rows(data):
    """Values of the first sheet, row by row; row numbers are the sheet's own."""
    unreadable = RosterError(_l("The file could not be read as an Excel workbook (.xlsx)."))
    _check_workbook_size(data)
    # A damaged or renamed file can make openpyxl fail in many ways, while opening or reading.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters record a wrong size, which would cut rows off
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


def _csv_rows(data):
    """UTF-8 (with or without BOM) first, then GB18030, the encoding Chinese Excel saves CSV in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise RosterError(_l("The CSV file is neither UTF-8 nor GB18030 text."))
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [_cell_text(v) for v in values]
    except csv.Error:
        raise RosterError(_l("The CSV file could not be read. Save it again from Excel as CSV.")) from None


def parse_roster(filename: str | None, stream: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    """[(row number, {field: text})] for the non-empty rows under the header row."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    readers = {"xlsx": _xlsx_rows, "csv": _csv_rows}
    if extension not in readers:
        raise RosterError(
            _l("Upload an Excel workbook (.xlsx) or a CSV file. Save older .xls files as .xlsx first.")
        )
    columns, rows = None, []
    for number, values in readers[extension](_read_bytes(stream)):
        if not any(values):
            continue
        if columns is None:
            columns = _columns(values)
            continue
        if len(rows) == MAX_ROWS:
            raise RosterError(
                _l("The roster has more than %(n)d rows. Split it into smaller files.", n=MAX_ROWS)
            )
        rows.append((number, {key: values[i] if i < len(values) else "" for key, i in columns.items()}))
    if columns is None:
        raise RosterError(_l("The file is empty."))
    return rows


def _columns(header):
    """{field: column index} from the header row; the name and ID number columns must be there."""
    columns = {}
    for index, title in enumerate(header):
        key = HEADERS.get(_normalise_header(title))
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
    if SCIENTIFIC_RE.match(value):
        errors.append(
            RowError(
                number,
                "id_number",
                _l(
                    "Excel turned this ID number into %(value)s and lost its last digits. Format the "
                    "column as text and type the ID numbers again.",
                    value=value,
                ),
            )
        )
        return None
    try:
        id_number = parse_id_number(value).number
    except InvalidIdNumber as exc:
        errors.append(RowError(number, "id_number", exc.args[0]))
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
        for batch in chunked(entries, INSERT_CHUNK):
            RosterEntry.insert_many(
                [
                    dict(
                        row,
                        id_number_index=row["id_number"],
                        centre=school.centre,
                        school=school,
                        roster_import=roster_import,
                    )
                    for row in batch
                ]
            ).execute()
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
