"""Tables uploaded as files (a school's roster, the national loan system's lists): an Excel
workbook (.xlsx) or a CSV file in UTF-8 or GB18030, read row by row as text.

The file is checked before a row is read: its size, what a workbook unpacks to and the sheet
size it declares (a 558 KB file can unpack to 196 MB and hold a worker for minutes).
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from webapp.services.common.errors import RuleError
from webapp.services.common.id_numbers import InvalidIdNumber, parse_id_number

MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_DECLARED_ROWS, MAX_DECLARED_COLUMNS = 1_048_576, 200
DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')
# What Excel shows for a long number it stored as a float, e.g. 1.40623E+17.
SCIENTIFIC_RE = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
# Excel keeps 15 significant digits, so larger numbers in numeric cells have lost digits.
EXACT_FLOAT_LIMIT = 10**15


class TableFileError(RuleError):
    """The file as a whole cannot be used; message says what to change."""

    status = 422


class CellError(RuleError):
    """One cell's value cannot be used; message says why."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_rows: int  # rows under the header
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES


def normalise_header(value: str) -> str:
    """A column title as compared: full-width folded, spaces collapsed, lower case."""
    return " ".join(unicodedata.normalize("NFKC", value).split()).lower()


def cell_text(value) -> str:
    """A cell as text: whole numbers lose the '.0', big floats read as Excel shows them, a date
    cell reads as its ISO date."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        if not value.is_integer():
            return str(value)
        if abs(value) >= EXACT_FLOAT_LIMIT:
            return f"{value:.5E}"
        value = int(value)
    return str(value).replace("\x00", "").strip()


def id_number_cell(value: str) -> str:
    """The resident ID number in a cell, checked (services/common/id_numbers.py); CellError says why not,
    including when Excel turned it into a number and lost its last digits."""
    if SCIENTIFIC_RE.match(value):
        raise CellError(
            _l(
                "Excel turned this ID number into %(value)s and lost its last digits. Format the "
                "column as text and type the ID numbers again.",
                value=value,
            )
        )
    try:
        return parse_id_number(value).number
    except InvalidIdNumber as exc:
        raise CellError(exc.args[0]) from None


def read_bytes(stream: IO[bytes], limits: Limits) -> bytes:
    data = stream.read(limits.max_bytes + 1)
    if len(data) > limits.max_bytes:
        raise TableFileError(
            _l(
                "The file is larger than %(mb)d MB. Remove other sheets and pictures, or split the file.",
                mb=limits.max_bytes // (1024 * 1024),
            )
        )
    return data


def extension(filename: str | None) -> str:
    """ "xlsx" or "csv"; TableFileError for anything else."""
    found = filename.rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    if found not in ("xlsx", "csv"):
        raise TableFileError(
            _l("Upload an Excel workbook (.xlsx) or a CSV file. Save older .xls files as .xlsx first.")
        )
    return found


def rows(filename: str | None, data: bytes, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """(row number, cell texts) of the non-empty rows, the header row first; row numbers are
    the file's own, as a spreadsheet program shows them."""
    reader = _xlsx_rows if extension(filename) == "xlsx" else _csv_rows
    seen = -1  # the header row is not counted
    for number, values in reader(data, limits):
        if not any(values):
            continue
        seen += 1
        if seen > limits.max_rows:
            raise TableFileError(
                _l("The file has more than %(n)d rows. Split it into smaller files.", n=limits.max_rows)
            )
        yield number, values
    if seen < 0:
        raise TableFileError(_l("The file is empty."))


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _check_workbook_size(data, limits):
    """TableFileError when the workbook unpacks to far more than the table allowed, or its
    sheets declare an absurd size; nothing is decompressed beyond a sheet's first kilobytes."""
    too_big = TableFileError(
        _l(
            "This workbook unpacks to far more than a table of %(rows)d rows. Save only the table's sheet, without pictures, and try again.",
            rows=limits.max_rows,
        )
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > limits.max_unpacked_bytes:
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
        raise TableFileError(_l("The file could not be read as an Excel workbook (.xlsx).")) from None


def _xlsx_rows(data, limits):
    """Values of the first sheet, row by row; row numbers are the sheet's own."""
    unreadable = TableFileError(_l("The file could not be read as an Excel workbook (.xlsx)."))
    _check_workbook_size(data, limits)
    # A damaged or renamed file can make openpyxl fail in many ways, while opening or reading.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise unreadable from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some exporters record a wrong size, which would cut rows off
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    except Exception:
        raise unreadable from None
    finally:
        workbook.close()


def _csv_rows(data, _limits):
    """UTF-8 (with or without BOM) first, then GB18030, the encoding Chinese Excel saves CSV in."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableFileError(_l("The CSV file is neither UTF-8 nor GB18030 text."))
    try:
        for number, values in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
            yield number, [cell_text(v) for v in values]
    except csv.Error:
        raise TableFileError(_l("The CSV file could not be read. Save it again from Excel as CSV.")) from None
