"""One-line values (names, a class, a university): a line break in one splits the row of every
list, export and printed form that shows it, so it is refused wherever such a value is entered;
a file name made from one keeps only its words."""

import re

from flask_babel import lazy_gettext as _l

LINE_BREAKS = re.compile("[\r\n\v\f\x85\u2028\u2029]")
NOT_A_WORD = re.compile(r"[^\w.]+")
ONE_LINE_ONLY = _l("One line only: remove the line break.")


def line_break_error(value: object):
    """ONE_LINE_ONLY when value is text holding a line break, else None."""
    return ONE_LINE_ONLY if isinstance(value, str) and LINE_BREAKS.search(value) else None


def file_name_part(value: str) -> str:
    """The words of value for a file name: letters (Chinese too), digits and dots, dashes between."""
    return NOT_A_WORD.sub("-", value).strip("-") or "-"
