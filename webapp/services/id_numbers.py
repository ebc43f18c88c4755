"""Resident ID numbers (GB 11643-1999), checked with python-stdnum's cn.ric."""
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from stdnum.cn import ric
from stdnum.exceptions import (InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength,
                               ValidationError)


class InvalidIdNumber(ValueError):
    """Raised with a message fit to show next to the field."""


@dataclass(frozen=True)
class ResidentId:
    number: str
    birth_date: date
    sex: str
    region_code: str

    @property
    def masked(self):
        return mask_id_number(self.number)


def mask_id_number(number):
    """Keep the region and the last four characters: 140623********123X."""
    if not number or len(number) < 10:
        return number
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def parse_id_number(value, today=None):
    """Validate an ID number and return what it tells; raise InvalidIdNumber otherwise."""
    number = ric.compact(re.sub(r"\s+", "", unicodedata.normalize("NFKC", value or "")))
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
        raise InvalidIdNumber(
            _l("An ID number has 17 digits followed by a digit or the letter X.")) from None
    except InvalidChecksum:
        raise InvalidIdNumber(
            _l("The last character does not match: please check the ID number.")) from None
    except ValidationError:
        raise InvalidIdNumber(_l("The birth date inside the ID number is not a real date.")) \
            from None
    if birth_date > (today or date.today()):
        raise InvalidIdNumber(_l("The birth date inside the ID number is in the future."))
    if not _known_region(number[:6], birth_date.year):
        raise InvalidIdNumber(_l("The region code at the start of the ID number is unknown."))
    sex = "M" if int(number[16]) % 2 else "F"
    return ResidentId(number, birth_date, sex, number[:6])


@lru_cache(maxsize=8192)
def _known_region(code, year):
    """Whether the region code existed in the birth year, as python-stdnum knows it (its
    look-up is slow, and the answers are few)."""
    try:
        ric.get_birth_place(f"{code}{year:04d}01010000")
    except InvalidComponent:
        return False
    return True
