"""Each academic year's loan is its own contract: a renewal approved online signs nothing at the
window, so its contract number and receipt code (回执校验码) come from this year's contract list
of the national system. A renewal signed at the window gets them from the desk instead
(services/desk/acceptance.py); until either, the renewal has none and reconciliation lists it."""

from webapp.models import Application, NationalContract, Season, Student, User
from webapp.services.casework.season_loans import is_loan
from webapp.services.common import audit
from webapp.vocabulary import AuditAction, Service


def take_from_list(season: Season, user: User | None) -> int:
    """Give the season's renewals without a contract the list's number and code, matched by the
    ID number's blind index; a number or code already held by another application is left for
    reconciliation to show. Called inside the import's transaction; returns how many."""
    waiting = list(
        Application.select(Application, Student.id_number_index)
        .join(Student)
        .where(
            (Application.season == season)
            & (Application.kind == Service.RENEWAL)
            & is_loan()
            & Application.contract_number.is_null()
        )
    )
    if not waiting:
        return 0
    listed = {
        row.id_number_index: row
        for row in NationalContract.select().where(
            (NationalContract.season == season)
            & NationalContract.id_number_index.in_([a.student.id_number_index for a in waiting])
            & (NationalContract.loan_type != Service.FIRST_LOAN)
        )
    }
    held = list(
        Application.select(Application.contract_number, Application.receipt_code)
        .where(Application.season == season)
        .tuples()
    )
    numbers = {number for number, _code in held if number}
    codes = {code for _number, code in held if code}
    given = 0
    for renewal in waiting:
        row = listed.get(renewal.student.id_number_index)
        if row is None or row.contract_number in numbers:
            continue
        renewal.contract_number = row.contract_number
        if row.receipt_code and row.receipt_code not in codes and not renewal.receipt_code:
            renewal.receipt_code = row.receipt_code
            codes.add(row.receipt_code)
        numbers.add(row.contract_number)
        renewal.save(only=[Application.contract_number, Application.receipt_code])
        audit.record(
            AuditAction.RENEWAL_CONTRACT_FROM_LIST,
            renewal,
            actor=user,
            contract_number=renewal.contract_number,
            receipt_code=renewal.receipt_code or "",
        )
        given += 1
    return given
