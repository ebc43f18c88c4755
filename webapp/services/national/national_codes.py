"""The national student-loan system's contract number and receipt verification code (回执校验码),
as the desk records them at acceptance: the receipt universities check carries these two, and
each is unique in a season. A centre may set the pattern its system's numbers follow.

The pattern is matched by RE2, whose time grows with the input's length alone: a pattern that
would backtrack (([A-Za-z0-9]+-?)+) costs no more than any other, on a worker every centre
shares. What is matched is capped at MAX_CODE_LENGTH characters, and a pattern at MAX_PATTERN_LENGTH."""

from functools import lru_cache

import re2
from flask_babel import lazy_gettext as _l

from webapp.models import Application, Centre

DEFAULT_CONTRACT = r"[A-Za-z0-9-]{6,32}"
DEFAULT_RECEIPT_CODE = r"[A-Za-z0-9]{4,16}"
MAX_CODE_LENGTH = 64
MAX_PATTERN_LENGTH = 200


@lru_cache(maxsize=256)
def _compiled(pattern: str):
    options = re2.Options()
    options.log_errors = False  # a centre's typing mistake is answered on the form, not logged
    return re2.compile(pattern, options)


def pattern_error(pattern: str) -> str | None:
    """Why a pattern a centre typed cannot be used, or None."""
    if not pattern:
        return None
    if len(pattern) > MAX_PATTERN_LENGTH:
        return _l("A pattern has at most %(n)d characters.", n=MAX_PATTERN_LENGTH)
    try:
        _compiled(pattern)
    except re2.error:
        return _l(
            "This is not a valid pattern (a regular expression without back-references or look-arounds)."
        )
    return None


def _matches(pattern, default, value):
    """Whether value is whole by the centre's pattern; by the default when the centre has none,
    or saved one before RE2 that it cannot read (the season page then asks for it again)."""
    if len(value) > MAX_CODE_LENGTH:
        return False
    usable = pattern if pattern and pattern_error(pattern) is None else default
    return _compiled(usable).fullmatch(value) is not None


def format_error(centre: Centre, field: str, value: str) -> str | None:
    """Why value is not a contract number (field "contract_number") or receipt code
    ("receipt_code") as the centre's national system writes them, or None."""
    if field == "contract_number":
        if not _matches(centre.contract_pattern, DEFAULT_CONTRACT, value):
            return _l("The contract number does not look like one of the national system's.")
    elif not _matches(centre.receipt_code_pattern, DEFAULT_RECEIPT_CODE, value):
        return _l("Enter the receipt verification code the national system gave.")
    return None


def errors(application: Application, contract_number: str, receipt_code: str) -> dict:
    """{field: message} for the two codes of an application about to be accepted."""
    centre: Centre = application.centre
    found = {}
    if message := format_error(centre, "contract_number", contract_number):
        found["contract_number"] = message
    elif _taken(application, Application.contract_number, contract_number):
        found["contract_number"] = _l(
            "Contract number %(number)s is already recorded for another application this season.",
            number=contract_number,
        )
    if message := format_error(centre, "receipt_code", receipt_code):
        found["receipt_code"] = message
    elif _taken(application, Application.receipt_code, receipt_code):
        found["receipt_code"] = _l(
            "Receipt verification code %(code)s is already recorded for another application this season.",
            code=receipt_code,
        )
    return found


def _taken(application, field, value):
    return (
        Application.select()
        .where(
            (Application.season == application.season) & (field == value) & (Application.id != application.id)
        )
        .exists()
    )
