"""No resident ID number or mobile number in the logs: a filter on the app's, the development
server's, gunicorn's and the request log's loggers masks anything shaped like one, keeping what
lets whoever reads a log tell records apart (an ID number's region and last four, a mobile's
first three and last four). A number typed with spaces, dashes or full-width digits, or
percent-encoded in an address, is masked too: the searches find it, so the log must not keep it."""

import logging
import re
import unicodedata
from urllib.parse import unquote_plus

ID_NUMBER_LIKE = re.compile(r"(?<![0-9])([1-9]\d{5})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])")
MOBILE_LIKE = re.compile(r"(?<![0-9])((?:86)?1[3-9]\d)(\d{4})(\d{4})(?![0-9])")
LOGGERS = ("", "werkzeug", "gunicorn.access", "gunicorn.error", "studentloan.requests")

# A number as the searches take it (services/common/id_numbers.py, mobile_numbers.py): digits
# ASCII or full-width, spaces, dashes or plus signs between them, an ID number's final X, each
# possibly percent-encoded in a logged address (ｘ, ０-９, the ideographic space, the full-width dash).
_DIGIT = r"(?:[0-9\uff10-\uff19]|%[eE][fF]%[bB][cC]%9[0-9])"
_SEPARATOR = r"(?:[\s+\-\u2010-\u2015\u3000\uff0d]|%20|%2[dD]|%2[bB]|%[eE]3%80%80|%[eE][fF]%[bB][cC]%8[dD])"
_FINAL_X = r"(?:[Xx\uff38\uff58]|%[eE][fF]%[bB][cC]%[bB]8|%[eE][fF]%[bB][dD]%98)"
TYPED_NUMBER = re.compile(
    rf"(?<![0-9A-Za-z]){_DIGIT}(?:{_SEPARATOR}{{0,3}}{_DIGIT}){{10,}}(?:{_SEPARATOR}{{0,3}}{_FINAL_X})?(?![0-9A-Za-z])"
)
SEPARATORS = re.compile(rf"({_SEPARATOR}+)")


def _compact(typed: str) -> str:
    return re.sub(r"[^0-9X]", "", unicodedata.normalize("NFKC", unquote_plus(typed)).upper())


def _masked(number: str) -> str | None:
    """The masked form of one whole ID number or mobile number, else None."""
    if ID_NUMBER_LIKE.fullmatch(number):
        return number[:6] + "*" * 8 + number[14:]
    if MOBILE_LIKE.fullmatch(number):
        return number[:-8] + "****" + number[-4:]
    return None


def _mask_typed(match: re.Match) -> str:
    """One number however typed, or, when the run holds several, each of its pieces."""
    typed = match.group(0)
    whole = _masked(_compact(typed))
    if whole:
        return whole
    return "".join(_masked(_compact(piece)) or piece for piece in SEPARATORS.split(typed))


def mask_personal_numbers(text: str) -> str:
    text = TYPED_NUMBER.sub(_mask_typed, text)
    text = ID_NUMBER_LIKE.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    return MOBILE_LIKE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class MaskPersonalNumbers(logging.Filter):
    def filter(self, record):
        message = record.getMessage()
        masked = mask_personal_numbers(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True


def init_app(app):
    mask = MaskPersonalNumbers()
    for logger in (app.logger, *(logging.getLogger(name) for name in LOGGERS)):
        if not any(isinstance(f, MaskPersonalNumbers) for f in logger.filters):
            logger.addFilter(mask)
    for handler in logging.getLogger().handlers + app.logger.handlers:
        if not any(isinstance(f, MaskPersonalNumbers) for f in handler.filters):
            handler.addFilter(mask)
