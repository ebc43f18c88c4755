"""Exports for the bank and the province: accepted loans (first loans and renewals) and
pre-registrations per school, as CSV or XLSX.

Rows are read in pages of BATCH by primary key and written as they come (CSV straight into the
response; XLSX through openpyxl's write-only workbook, which keeps finished rows on disk), so a
season of 100,000 rows never sits in memory at once.
"""

import csv
import io
import itertools
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from typing import IO

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter
from peewee import JOIN, fn

from webapp.clock import local_date, local_today
from webapp.i18n import LEVEL_LABELS, RELATION_LABELS, SERVICE_LABELS
from webapp.models import (
    Application,
    Centre,
    Guardian,
    IssuedDocument,
    PreRegistration,
    School,
    Season,
    Student,
    User,
)
from webapp.services.casework.season_loans import is_loan
from webapp.services.common import audit
from webapp.services.common.one_line import file_name_part
from webapp.vocabulary import DocumentKind, PreregStatus

BATCH = 2000
FORMATS = ("csv", "xlsx")

LOAN_COLUMNS = [
    _l("Student name"),
    _l("Resident ID number"),
    _l("Co-borrower"),
    _l("Co-borrower's ID number"),
    _l("Relation"),
    _l("Co-borrower's mobile number"),
    _l("University"),
    _l("Department"),
    _l("Major"),
    _l("Level"),
    _l("Length of study (years)"),
    _l("Loan type"),
    _l("Amount per year (yuan)"),
    _l("Loan term (years)"),
    _l("Contract number"),
    _l("Certificate number"),
    _l("Submitted on"),
    _l("Accepted on"),
]
PREREG_COLUMNS = [
    _l("School"),
    _l("Class"),
    _l("Student name"),
    _l("Resident ID number"),
    _l("Mobile number"),
    _l("Category"),
    _l("Guardian"),
    _l("Guardian's mobile number"),
    _l("Intended university"),
    _l("Received on"),
]


def _pages(query, key):
    """Rows of query in pages of BATCH, by increasing key (no OFFSET, no open cursor)."""
    last = 0
    while True:
        page = list(query.where(key > last).order_by(key).limit(BATCH).tuples())
        if not page:
            return
        yield from page
        last = page[-1][0]


def _day(value):
    """The local day of a stored UTC time."""
    return local_date(value).isoformat() if value else ""


def accepted_loans(season: Season) -> Iterator[list]:
    """One row per loan of the season (is_loan), in LOAN_COLUMNS order."""
    certificate = IssuedDocument.alias()
    query = (
        Application.select(
            Application.id,
            Student.name,
            Student.id_number,
            Guardian.name,
            Guardian.id_number,
            Guardian.relation,
            Guardian.mobile,
            Application.university,
            Application.department,
            Application.major,
            Application.level,
            Application.study_years,
            Application.kind,
            Application.amount_requested,
            Application.loan_term_years,
            Application.contract_number,
            certificate.number,
            Application.submitted_at,
            fn.COALESCE(Application.accepted_at, Application.reviewed_at).python_value(
                Application.accepted_at.python_value
            ),
        )
        .join(Student, on=(Application.student == Student.id))
        .switch(Application)
        .join(Guardian, JOIN.LEFT_OUTER, on=(Application.co_borrower == Guardian.id))
        .switch(Application)
        .join(
            certificate,
            JOIN.LEFT_OUTER,
            on=(
                (certificate.application == Application.id)
                & (certificate.kind == DocumentKind.CERTIFICATE)
                & certificate.revoked_at.is_null()
            ),
        )
        .where((Application.season == season) & is_loan())
    )
    relations, levels, kinds = (
        {k: str(v) for k, v in labels.items()} for labels in (RELATION_LABELS, LEVEL_LABELS, SERVICE_LABELS)
    )
    for row in _pages(query, Application.id):
        (
            _id,
            name,
            id_number,
            co_name,
            co_id,
            relation,
            co_mobile,
            university,
            department,
            major,
            level,
            years,
            kind,
            amount,
            term,
            contract,
            number,
            submitted,
            accepted,
        ) = row
        yield [
            name,
            id_number,
            co_name or "",
            co_id or "",
            relations.get(relation, ""),
            co_mobile or "",
            university,
            department,
            major,
            levels.get(level, level),
            years,
            kinds.get(kind, kind),
            amount,
            term,
            contract,
            number or "",
            _day(submitted),
            _day(accepted),
        ]


def pre_registrations(centre: Centre, school_id: int | None = None) -> Iterator[list]:
    """One row per pre-registration kept (accepted or merged), school by school."""
    query = (
        PreRegistration.select(
            PreRegistration.id,
            School.name,
            PreRegistration.class_name,
            PreRegistration.name,
            PreRegistration.id_number,
            PreRegistration.mobile,
            PreRegistration.category,
            PreRegistration.guardian_name,
            PreRegistration.guardian_mobile,
            PreRegistration.intended_university,
            PreRegistration.received_at,
        )
        .join(School, JOIN.LEFT_OUTER)
        .where(
            (PreRegistration.centre == centre)
            & PreRegistration.status.in_([PreregStatus.ACCEPTED, PreregStatus.MERGED])
        )
    )
    if school_id:
        query = query.where(PreRegistration.school == school_id)
    for row in _pages(query, PreRegistration.id):
        yield [row[1] or "", *row[2:10], _day(row[10])]


# A text beginning with one of these is read as a formula by spreadsheet programs (OWASP's rule
# for CSV injection): a student could type "=HYPERLINK(…)" as a university's name.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value):
    """A CSV cell that a spreadsheet shows as the text it is, never runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(columns: list, rows: Iterable[list]) -> Iterator[str]:
    """The CSV as UTF-8 with a byte-order mark (Excel then reads the Chinese), 500 rows a chunk."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([str(c) for c in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_as_text(value) for value in row])
        if count % 500 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _xlsx_cell(sheet, value):
    """Text typed as a string cell, so that openpyxl never writes it as a formula."""
    if not isinstance(value, str):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


# Column widths are fitted to the header and the first rows, which the write-only sheet needs
# before any row is written; CJK characters count twice.
WIDTH_SAMPLE = 200
MIN_WIDTH, MAX_WIDTH = 8, 48


def _display_width(value) -> int:
    text = "" if value is None else str(value)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def xlsx_file(columns: list, rows: Iterable[list], title: str) -> IO[bytes]:
    """The rows written to a temporary XLSX file (write-only: rows go to disk as they come),
    with a frozen header row and columns fitted to their contents; every text, an ID number
    above all, is a text cell."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    header = [str(c) for c in columns]
    rows = iter(rows)
    sample = list(itertools.islice(rows, WIDTH_SAMPLE))
    for index, name in enumerate(header, start=1):
        widest = max([_display_width(name)] + [_display_width(row[index - 1]) for row in sample])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, MIN_WIDTH), MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.append(header)
    for row in itertools.chain(sample, rows):
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    workbook.save(handle)
    handle.seek(0)
    return handle


def file_name(kind: str, fmt: str, season: Season | None = None, school: School | None = None) -> str:
    """A name that says what the file holds: the season or the school, and the day it was made."""
    parts = {"loans": ["accepted-loans"], "pre_registrations": ["pre-registrations"]}[kind]
    if season is not None:
        parts.append(f"{season.year}-season")
    if kind == "pre_registrations":
        parts.append(file_name_part(school.name) if school is not None else "all-schools")
    parts.append(local_today().isoformat())
    return "-".join(parts) + "." + fmt


def record(user: User, kind: str, fmt: str, **filters: object) -> None:
    audit.record("export." + kind, None, actor=user, centre=user.centre, format=fmt, filters=filters)
