"""Lists exported from the national student-loan system, uploaded by an admin: the contract
list (for reconciliation, services/national/reconciliation.py) and the receipts universities confirmed
(services/national/receipt_confirmations.py).

Every export is laid out a little differently, so the first upload of a kind asks which column
holds which field; the mapping is saved per centre by column title and reused while the titles
match. A file is checked whole before anything is written: one bad row and nothing is.
"""

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO, NamedTuple

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from peewee import chunked

from webapp import id_crypto
from webapp.clock import local_today
from webapp.db import database
from webapp.i18n import NATIONAL_FIELD_LABELS
from webapp.models import (
    Application,
    Centre,
    ColumnMapping,
    NationalContract,
    NationalImport,
    PendingUpload,
    ReceiptConfirmation,
    Season,
    User,
    bulk_insert,
    utcnow,
)
from webapp.services.common import audit, table_files
from webapp.services.national import national_codes, renewal_contracts
from webapp.vocabulary import AuditAction, ConfirmedVia, NationalField, NationalList, Service

LIMITS = table_files.Limits(max_bytes=20 * 1024 * 1024, max_rows=50_000, max_unpacked_bytes=250 * 1024 * 1024)
PREVIEW_ROWS = 5
PENDING_FOR = timedelta(hours=1)
CHUNK = 200  # rows per DELETE … IN, well under every database's parameter limit
MAX_TEXT = 100

FIELDS = {
    NationalList.CONTRACTS: tuple(NationalField),
    NationalList.CONFIRMATIONS: (
        NationalField.CONTRACT_NUMBER,
        NationalField.ID_NUMBER,
        NationalField.NAME,
        NationalField.RECEIPT_CODE,
        NationalField.UNIVERSITY,
        NationalField.DATE,
    ),
}
REQUIRED = {
    NationalList.CONTRACTS: (
        NationalField.ID_NUMBER,
        NationalField.NAME,
        NationalField.CONTRACT_NUMBER,
        NationalField.AMOUNT,
    ),
    NationalList.CONFIRMATIONS: (NationalField.CONTRACT_NUMBER,),
}
# Column titles seen in the national system's exports, for the first guess of a mapping.
TITLES = {
    NationalField.ID_NUMBER: (
        "身份证号",
        "身份证号码",
        "证件号码",
        "借款人身份证号",
        "学生身份证号",
        "id number",
    ),
    NationalField.NAME: ("姓名", "学生姓名", "借款人姓名", "借款学生姓名", "name"),
    NationalField.CONTRACT_NUMBER: ("合同编号", "合同号", "贷款合同号", "借款合同编号", "contract number"),
    NationalField.RECEIPT_CODE: ("回执校验码", "校验码", "受理证明校验码", "回执码", "receipt code"),
    NationalField.AMOUNT: ("贷款金额", "合同金额", "借款金额", "本年贷款金额", "金额", "amount"),
    NationalField.LOAN_TYPE: ("贷款类型", "申请类型", "业务类型", "loan type"),
    NationalField.UNIVERSITY: ("高校名称", "就读高校", "学校名称", "高校", "university"),
    NationalField.DATE: ("签订日期", "合同签订日期", "受理日期", "确认日期", "回执确认日期", "日期", "date"),
}
GUESSES = {table_files.normalise_header(title): key for key, titles in TITLES.items() for title in titles}
LOAN_TYPES = {
    "首贷": Service.FIRST_LOAN,
    "首次": Service.FIRST_LOAN,
    "新增": Service.FIRST_LOAN,
    "first loan": Service.FIRST_LOAN,
    "first": Service.FIRST_LOAN,
    "续贷": Service.RENEWAL,
    "续": Service.RENEWAL,
    "renewal": Service.RENEWAL,
}
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T].*)?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
AMOUNT_NOISE = re.compile(r"[\s,，元¥￥]")


class RowError(NamedTuple):
    row: int
    field: str  # a NationalField
    message: str

    @property
    def column(self) -> LazyString:
        return NATIONAL_FIELD_LABELS[self.field]


@dataclass
class Preview:
    """What the mapping page shows: the file's column titles, its first rows, and which column
    each field is in (saved or guessed; None when not found)."""

    titles: list[str]
    rows: list[list[str]]
    columns: dict[str, int | None]
    saved: bool  # the centre's saved mapping fits this file


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    national_import: NationalImport | None = None
    rows: int = 0
    matched: int = 0  # confirmations: receipts of loans here; contracts: renewals given theirs
    unknown: list[int] = field(default_factory=list)  # confirmations: rows of no loan here

    @property
    def ok(self) -> bool:
        return not self.errors


# --- the upload, waiting for its mapping -------------------------------------------------


def hold_upload(
    centre: Centre, season: Season, kind: str, filename: str | None, stream: IO[bytes], user: User
) -> PendingUpload:
    """Keep an uploaded list until its columns are mapped; TableFileError if it cannot be read."""
    data = table_files.read_bytes(stream, LIMITS)
    _titles(filename, data)  # readable, with a header row
    forget_stale_uploads()
    return PendingUpload.create(
        centre=centre,
        season=season,
        kind=kind,
        token=secrets.token_hex(16),
        filename=(filename or "")[:255],
        data=id_crypto.encrypt_bytes(data),  # it holds ID numbers: sealed like them
        uploaded_by=user,
    )


def pending_upload(centre: Centre, token: str) -> PendingUpload | None:
    """The centre's upload waiting under token, unless it has expired."""
    return PendingUpload.get_or_none(
        (PendingUpload.centre == centre)
        & (PendingUpload.token == token)
        & (PendingUpload.uploaded_at > utcnow() - PENDING_FOR)
    )


def forget_stale_uploads() -> int:
    """Uploads older than PENDING_FOR, deleted by every upload and by the task queue's timer."""
    return PendingUpload.delete().where(PendingUpload.uploaded_at <= utcnow() - PENDING_FOR).execute()


def _titles(filename, data):
    rows = table_files.rows(filename, data, LIMITS)
    _number, titles = next(rows)
    rows.close()
    return titles


def preview(upload: PendingUpload) -> Preview:
    """The file's titles and first rows, with the saved mapping when it fits, else a guess."""
    rows = table_files.rows(upload.filename, id_crypto.decrypt_bytes(upload.data), LIMITS)
    _number, titles = next(rows)
    first = []
    for _number, values in rows:
        first.append(values + [""] * (len(titles) - len(values)))
        if len(first) == PREVIEW_ROWS:
            break
    rows.close()
    saved = fitting_mapping(upload.centre, upload.kind, titles)
    return Preview(titles, first, saved or _guess(upload.kind, titles), saved is not None)


def _guess(kind, titles):
    columns = dict.fromkeys(FIELDS[kind])
    for index, title in enumerate(titles):
        key = GUESSES.get(table_files.normalise_header(title))
        if key in columns and columns[key] is None:
            columns[key] = index
    return columns


def fitting_mapping(centre: Centre, kind: str, titles: list[str]) -> dict[str, int | None] | None:
    """{field: column index} from the centre's saved mapping, when every mapped title is in the
    file; None when there is no saved mapping or the file's columns changed."""
    mapping = ColumnMapping.get_or_none((ColumnMapping.centre == centre) & (ColumnMapping.kind == kind))
    if mapping is None:
        return None
    positions = {}
    for index, title in enumerate(titles):
        positions.setdefault(table_files.normalise_header(title), index)
    columns = dict.fromkeys(FIELDS[kind])
    for key, title in json.loads(mapping.columns).items():
        if key not in columns:
            continue
        if table_files.normalise_header(title) not in positions:
            return None
        columns[key] = positions[table_files.normalise_header(title)]
    return columns


def mapping_errors(kind: str, columns: dict[str, int | None], titles: list[str]) -> dict[str, LazyString]:
    """{field: message} for a mapping that misses a required field or uses a column twice."""
    errors, used = {}, {}
    for key in FIELDS[kind]:
        index = columns.get(key)
        if index is None:
            if key in REQUIRED[kind]:
                errors[key] = _l("Choose the column that holds this.")
            continue
        if not 0 <= index < len(titles):
            errors[key] = _l("Choose one of the file's columns.")
        elif index in used:
            errors[key] = _l(
                "This column is already chosen for %(field)s.", field=NATIONAL_FIELD_LABELS[used[index]]
            )
        else:
            used[index] = key
    return errors


def save_mapping(centre: Centre, kind: str, columns: dict[str, int | None], titles: list[str], user: User):
    """Remember the mapping by column title, for the next upload of this kind."""
    named = {key: titles[index] for key, index in columns.items() if index is not None}
    with database.atomic():
        mapping = ColumnMapping.get_or_none((ColumnMapping.centre == centre) & (ColumnMapping.kind == kind))
        if mapping is None:
            mapping = ColumnMapping(centre=centre, kind=kind)
        mapping.columns = json.dumps(named, ensure_ascii=False)
        mapping.saved_by, mapping.saved_at = user, utcnow()
        mapping.save()
        audit.record(AuditAction.NATIONAL_MAPPING, mapping, kind=kind, columns=named)
    return mapping


# --- checking rows -----------------------------------------------------------------------


def read_rows(upload_or_file, columns: dict[str, int | None]):
    """(row number, {field: text}) for each row under the titles."""
    filename, data = upload_or_file
    rows = table_files.rows(filename, data, LIMITS)
    next(rows)
    picked = [(key, index) for key, index in columns.items() if index is not None]
    for number, values in rows:
        yield number, {key: values[index] if index < len(values) else "" for key, index in picked}


def parse_amount(text: str) -> int | None:
    """Whole yuan from "12,000.00", "12000元" and the like; None when it is not such a number."""
    try:
        amount = Decimal(AMOUNT_NOISE.sub("", text))
    except InvalidOperation:
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return int(amount)


def parse_date(text: str) -> date | None:
    """2026-08-01, 2026/8/1, 2026.8.1, 2026年8月1日, 20260801 (a time after it is ignored)."""
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


class _Checker:
    """Checks one list's rows, collecting clean values and every problem, by row and field."""

    def __init__(self, season: Season):
        self.season = season
        self.centre = season.centre
        self.errors: list[RowError] = []
        self.seen: dict[tuple[str, str], int] = {}
        self.max_amount = max(season.cap_undergraduate, season.cap_postgraduate)

    def error(self, number, key, message):
        self.errors.append(RowError(number, key, message))

    def once(self, number, key, value):
        """False (and an error) when the same value was on an earlier row."""
        earlier = self.seen.setdefault((key, value), number)
        if earlier != number:
            self.error(number, key, _l("The same value is already on row %(row)d.", row=earlier))
            return False
        return True

    def text(self, number, values, key, required=False):
        value = values.get(key, "")
        if required and not value:
            self.error(number, key, _l("This cell is empty."))
        elif len(value) > MAX_TEXT:
            self.error(number, key, _l("At most %(n)d characters.", n=MAX_TEXT))
        return value

    def id_number(self, number, values, required=True):
        value = values.get(NationalField.ID_NUMBER, "")
        if not value and not required:
            return ""
        try:
            id_number = table_files.id_number_cell(value)
        except table_files.CellError as exc:
            self.error(number, NationalField.ID_NUMBER, exc.message)
            return None
        return id_number if self.once(number, NationalField.ID_NUMBER, id_number) else None

    def code(self, number, values, key, required):
        value = values.get(key, "").strip()
        if not value and not required:
            return ""
        message = national_codes.format_error(self.centre, key, value)
        if message:
            self.error(number, key, message)
            return None
        return value if self.once(number, key, value) else None

    def amount(self, number, values):
        amount = parse_amount(values.get(NationalField.AMOUNT, ""))
        if amount is None:
            self.error(number, NationalField.AMOUNT, _l("Write the amount in whole yuan, e.g. 12000."))
        elif not 0 < amount <= self.max_amount:
            self.error(
                number,
                NationalField.AMOUNT,
                _l("The amount is above this season's cap of %(cap)d yuan.", cap=self.max_amount),
            )
            return None
        return amount

    def loan_type(self, number, values):
        text = table_files.normalise_header(values.get(NationalField.LOAN_TYPE, ""))
        if not text:
            return ""
        found = LOAN_TYPES.get(text) or next(
            (kind for word, kind in LOAN_TYPES.items() if word in text), None
        )
        if found is None:
            self.error(number, NationalField.LOAN_TYPE, _l("Write 首贷 (first loan) or 续贷 (renewal)."))
            return ""
        return found

    def day(self, number, values):
        text = values.get(NationalField.DATE, "")
        if not text:
            return None
        day = parse_date(text)
        if day is None:
            self.error(number, NationalField.DATE, _l("Write the date as 2026-08-01."))
        return day


def check_contracts(season: Season, rows) -> tuple[list[dict], list[RowError]]:
    """(contracts, errors) for a contract list's rows."""
    checker, contracts = _Checker(season), []
    for number, values in rows:
        before = len(checker.errors)
        contract = {
            "id_number": checker.id_number(number, values),
            "name": checker.text(number, values, NationalField.NAME, required=True),
            "contract_number": checker.code(number, values, NationalField.CONTRACT_NUMBER, required=True),
            "receipt_code": checker.code(number, values, NationalField.RECEIPT_CODE, required=False),
            "amount": checker.amount(number, values),
            "loan_type": checker.loan_type(number, values),
            "university": checker.text(number, values, NationalField.UNIVERSITY),
            "contract_date": checker.day(number, values),
        }
        if len(checker.errors) == before:
            contracts.append(contract)
    return contracts, checker.errors


def check_confirmations(season: Season, rows) -> tuple[list[dict], list[RowError]]:
    """(confirmations, errors) for a list of receipts universities confirmed."""
    checker, confirmations = _Checker(season), []
    for number, values in rows:
        before = len(checker.errors)
        confirmation = {
            "row": number,
            "contract_number": checker.code(number, values, NationalField.CONTRACT_NUMBER, required=True),
            "id_number": checker.id_number(number, values, required=False),
            "confirmed_on": checker.day(number, values),
        }
        if len(checker.errors) == before:
            confirmations.append(confirmation)
    return confirmations, checker.errors


# --- writing -----------------------------------------------------------------------------


def import_upload(upload: PendingUpload, columns: dict[str, int | None], user: User) -> ImportResult:
    """Check every row of the held upload and write the list, or nothing and the problems.
    The upload is forgotten once written."""
    source = (upload.filename, id_crypto.decrypt_bytes(upload.data))
    result = import_list(upload.season, upload.kind, source, columns, user)
    if result.ok:
        upload.delete_instance()
    return result


def import_list(season: Season, kind: str, source, columns, user: User | None) -> ImportResult:
    """source is (filename, bytes)."""
    rows = read_rows(source, columns)
    if kind == NationalList.CONTRACTS:
        contracts, errors = check_contracts(season, rows)
        return ImportResult(errors=errors) if errors else _write_contracts(season, source[0], contracts, user)
    confirmations, errors = check_confirmations(season, rows)
    return (
        ImportResult(errors=errors)
        if errors
        else _write_confirmations(season, source[0], confirmations, user)
    )


def _new_import(season, kind, filename, rows, user):
    return NationalImport.create(
        centre=season.centre,
        season=season,
        kind=kind,
        filename=(filename or "")[:255],
        rows=rows,
        imported_by=user,
    )


def _write_contracts(season, filename, contracts, user):
    """A student's or contract number's earlier row is replaced: the latest list is the truth.
    Renewals approved online take their own contract from it (renewal_contracts)."""
    with database.atomic():
        national_import = _new_import(season, NationalList.CONTRACTS, filename, len(contracts), user)
        in_season = NationalContract.season == season
        for batch in chunked(contracts, CHUNK):
            indexes = [row["id_number"] for row in batch]
            numbers = [row["contract_number"] for row in batch]
            NationalContract.delete().where(
                in_season
                & (
                    NationalContract.id_number_index.in_(indexes)
                    | NationalContract.contract_number.in_(numbers)
                )
            ).execute()
        bulk_insert(
            NationalContract,
            (
                dict(
                    row,
                    id_number_index=row["id_number"],
                    centre=season.centre,
                    season=season,
                    national_import=national_import,
                )
                for row in contracts
            ),
        )
        renewals = renewal_contracts.take_from_list(season, user)
        audit.record(
            AuditAction.NATIONAL_IMPORT,
            national_import,
            kind=NationalList.CONTRACTS,
            rows=len(contracts),
            renewal_contracts=renewals,
        )
    return ImportResult(national_import=national_import, rows=len(contracts), matched=renewals)


def _write_confirmations(season, filename, confirmations, user):
    """Each row names a loan by its contract number (or, failing that, the student's ID number);
    rows naming no loan here are reported, not written (reconciliation shows why)."""
    from webapp.services.national.receipt_confirmations import loans_by_contract

    found = loans_by_contract(season, confirmations)
    today, unknown, matched = local_today(), [], 0
    with database.atomic():
        national_import = _new_import(season, NationalList.CONFIRMATIONS, filename, len(confirmations), user)
        confirmed = {
            application_id
            for (application_id,) in ReceiptConfirmation.select(ReceiptConfirmation.application)
            .join(Application)
            .where(Application.season == season)
            .tuples()
        }
        for row in confirmations:
            application = found.get(row["row"])
            if application is None:
                unknown.append(row["row"])
                continue
            matched += 1
            if application.id not in confirmed:
                confirmed.add(application.id)
                ReceiptConfirmation.create(
                    application=application,
                    confirmed_on=row["confirmed_on"] or today,
                    via=ConfirmedVia.IMPORT,
                    recorded_by=user,
                )
        audit.record(
            AuditAction.NATIONAL_IMPORT,
            national_import,
            kind=NationalList.CONFIRMATIONS,
            rows=len(confirmations),
            matched=matched,
        )
    return ImportResult(
        national_import=national_import, rows=len(confirmations), matched=matched, unknown=unknown
    )


def last_imports(centre: Centre, season: Season, limit: int = 10):
    return (
        NationalImport.select()
        .where((NationalImport.centre == centre) & (NationalImport.season == season))
        .order_by(NationalImport.imported_at.desc())
        .limit(limit)
    )
