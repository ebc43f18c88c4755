"""Resident ID numbers (GB 11643-1999), checked with python-stdnum's cn.ric."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask import has_app_context
from flask_babel import lazy_gettext as _l
from stdnum import numdb
from stdnum.cn import ric
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength, ValidationError

from webapp.clock import local_today
from webapp.services.common.errors import RuleError

# The shape of a resident ID number once compacted (an upper-case X), before its checks.
ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")
# What "the last digits" of an ID number means wherever staff search by them: the last four.
LAST_DIGITS_RE = re.compile(r"^\d{3}[\dX]$")


def as_last_digits(query: str | None) -> str | None:
    """The last four characters of an ID number, when a search query is shaped like them
    (full-width digits and a lower-case x allowed), else None."""
    text = unicodedata.normalize("NFKC", query or "").strip().upper()
    return text if LAST_DIGITS_RE.match(text) else None


def compact_id_number(value: str | None) -> str:
    """An ID number as typed, in the form it is stored: full-width characters (a Chinese IME)
    become ASCII, spaces and dashes go, a final x is upper case."""
    return ric.compact(re.sub(r"[\s\-\u2010-\u2015]+", "", unicodedata.normalize("NFKC", value or "")))


class InvalidIdNumber(RuleError):
    """Raised with a message fit to show next to the field."""

    status = 422


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str
    region_code: str

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def mask_id_number(number: str) -> str:
    """Keep the region and the last four characters: 140623********123X."""
    if not number or len(number) < 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def parse_id_number(value: str | None, today: date | None = None) -> ResidentId:
    """Validate an ID number and return what it tells; raise InvalidIdNumber otherwise.
    "Today" is the centre's (webapp/clock.py), not the server's, for the future-birth check."""
    number = compact_id_number(value)
    if not number:
        raise InvalidIdNumber(_l("Enter the resident ID number."))
    try:
        if len(number) != 18:
            raise InvalidLength()
        if not number[:-1].isdigit() or not (number[-1].isdigit() or number[-1] == "X"):
            raise InvalidFormat()
        if number[-1] != ric.calc_check_digit(number):
            raise InvalidChecksum()
        birth_date = ric.get_birth_date(number)
    except InvalidLength:
        raise InvalidIdNumber(_l("An ID number has 18 characters.")) from None
    except InvalidFormat:
        raise InvalidIdNumber(_l("An ID number has 17 digits followed by a digit or the letter X.")) from None
    except InvalidChecksum:
        raise InvalidIdNumber(_l("The last character does not match: please check the ID number.")) from None
    except ValidationError:
        raise InvalidIdNumber(_l("The birth date inside the ID number is not a real date.")) from None
    if today is None:
        today = local_today() if has_app_context() else date.today()
    if birth_date > today:
        raise InvalidIdNumber(_l("The birth date inside the ID number is in the future."))
    if not known_region(number[:6]):
        raise InvalidIdNumber(_l("The region code at the start of the ID number is unknown."))
    sex = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number, birth_date, sex, number[:6])


@lru_cache(maxsize=1)
def region_codes() -> dict[str, str]:
    """Every region code python-stdnum knows, at any date, grouped by province:
    {"14": "0000 0623 ..."}. The offline form checks against the same table."""
    db = numdb.get("cn/loc")
    return {
        province: " ".join(code for _len, code, _hi, _info, _sub in counties)
        for _len, province, _hi, _info, counties in db.prefixes
    }


@lru_cache(maxsize=1)
def _known_codes():
    return frozenset(
        province + county for province, counties in region_codes().items() for county in counties.split()
    )


def known_region(code: str) -> bool:
    """Whether the code was ever a region code. The first six digits say where the number was
    issued, not where or when the holder was born: a parent born in 1970 may hold a county
    code created in 1993 (140623, Youyu), so the birth year is never compared with it."""
    return code in _known_codes()
