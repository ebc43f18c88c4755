"""Mainland mobile numbers (and a family's landline) as people type them: full-width digits,
spaces and dashes allowed. The one home of the rule: sign-up, sign-in, the steps, renewal, rosters,
offline capture and the desk's search all ask here."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from webapp.services.common.errors import RuleError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# A landline with its area code (0351-1234567), once spaces and dashes are gone.
LANDLINE_RE = re.compile(r"^0\d{2,3}\d{7,8}$")


class InvalidMobile(RuleError):
    """Raised with a message fit to show next to the field."""

    status = 422


def normalise_mobile(value: str | None) -> str:
    """Full-width digits (typed with a Chinese IME) become ASCII; spaces and dashes go."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or ""))


def check_mobile(value: str | None) -> str:
    """The 11-digit number, or InvalidMobile."""
    mobile = as_mobile(value)
    if mobile is None:
        raise InvalidMobile(_l("Enter an 11-digit mainland mobile number, e.g. 13800138000."))
    return mobile


def as_mobile(value: str | None) -> str | None:
    """The 11-digit number when value is one however typed, else None (for searches)."""
    mobile = normalise_mobile(value)
    return mobile if MOBILE_RE.match(mobile) else None


def is_phone(value: str | None) -> bool:
    """A mobile number, or a landline with its area code."""
    number = normalise_mobile(value)
    return bool(MOBILE_RE.match(number) or LANDLINE_RE.match(number))
