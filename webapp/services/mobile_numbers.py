"""Mainland mobile numbers as people type them: full-width digits, spaces and dashes allowed."""

import re
import unicodedata

from flask_babel import lazy_gettext as _l

from .errors import RuleError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class InvalidMobile(RuleError):
    """Raised with a message fit to show next to the field."""

    status = 422


def normalise_mobile(value: str | None) -> str:
    """Full-width digits (typed with a Chinese IME) become ASCII; spaces and dashes go."""
    return re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or ""))


def check_mobile(value: str | None) -> str:
    """The 11-digit number, or InvalidMobile."""
    mobile = normalise_mobile(value)
    if not MOBILE_RE.match(mobile):
        raise InvalidMobile(_l("Enter an 11-digit mainland mobile number, e.g. 13800138000."))
    return mobile
