"""What every request is held to before a view sees it, in one place so that no view needs a
try/except of its own: text without control characters, direction overrides or broken Unicode;
JSON of bounded depth with numbers a database and a phone's JavaScript can hold; ids within the
database's integer range; a body no larger than its route takes (a form's few kilobytes, unless the
route takes a file or a batch: @takes_large_body), with a bounded number of parts, so that no one
makes a worker parse a huge form. A refusal is a 400 (413 when too large) with a message (JSON for
the API)."""

import json
import math
import re
from datetime import date

from flask import Request, current_app, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# C0 controls but tab, line feed and carriage return; DEL and C1 controls; the bidirectional
# embeddings, overrides and isolates that make text read differently from what it holds; lone
# surrogates (broken UTF-16).
FORBIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
MAX_JSON_DEPTH = 32
MAX_JSON_INTEGER = 2**53 - 1  # beyond this JavaScript's numbers are no longer exact
MAX_RECORD_ID = 2**31 - 1  # the largest id an integer column of either database holds
FIRST_YEAR, LAST_YEAR = 1900, 2199  # the days a search or a page can be about
# A form's body: the longest form of the app (a family of twelve on the hardship step) is a few
# kilobytes; parsing this much costs a worker milliseconds. Files and sync batches are larger.
FORM_BODY_LIMIT = 256 * 1024
FORM_PARTS_LIMIT = 500  # fields and files of a multipart form


def takes_large_body(view):
    """A route that takes a file or a batch of records: up to MAX_CONTENT_LENGTH, not FORM_BODY_LIMIT."""
    view.takes_large_body = True
    return view


def _limit_the_body():
    view = current_app.view_functions.get(request.endpoint)
    if not getattr(view, "takes_large_body", False):
        request.max_content_length = min(
            FORM_BODY_LIMIT, current_app.config["MAX_CONTENT_LENGTH"] or FORM_BODY_LIMIT
        )
    request.max_form_parts = FORM_PARTS_LIMIT


class InputRefused(BadRequest):
    """Input no view should see; description is the message shown to the person."""

    code_name = "invalid_input"


def _refuse(message):
    raise InputRefused(description=message)


def check_text(value: str) -> str:
    if FORBIDDEN_CHARACTERS.search(value):
        _refuse(
            _l("The text holds control characters or direction marks that are not allowed; type it again.")
        )
    return value


def _check_tree(value):
    """Walk a decoded JSON value without recursion: depth, keys and strings, numbers."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ValueError(_l("The JSON is nested too deep."))
        if isinstance(item, dict):
            for key, child in item.items():
                check_text(key)
                stack.append((child, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            check_text(item)
        elif isinstance(item, bool) or item is None:
            continue
        elif isinstance(item, int) and abs(item) > MAX_JSON_INTEGER:
            raise ValueError(_l("A number in the JSON is too large."))
        elif isinstance(item, float) and not math.isfinite(item):
            raise ValueError(_l("A number in the JSON is not finite."))


def _no_constants(name):
    raise ValueError(_l("A number in the JSON is not finite."))


def loads(text: str | bytes):
    """json.loads held to the rules above; ValueError (or InputRefused) when it breaks one."""
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise ValueError(_l("The JSON is nested too deep.")) from None
    _check_tree(value)
    return value


class CheckedJSONProvider(DefaultJSONProvider):
    """request.get_json() goes through loads above."""

    def loads(self, s, **kwargs):
        return loads(s)


class CheckedRequest(Request):
    def on_json_loading_failed(self, e):
        if isinstance(e, InputRefused):
            raise e
        if isinstance(e, ValueError) and e.args and not isinstance(e, json.JSONDecodeError):
            _refuse(e.args[0])
        _refuse(_l("The body is not valid JSON."))


class RecordIdConverter(IntegerConverter):
    """<int:…> in a route: an id of 20 digits is simply not found, not a database error."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_RECORD_ID)
        super().__init__(map, *args, **kwargs)


def parse_record_id(value) -> int | None:
    """A record's id as a form or query sends it: a positive whole number the database can
    hold, else None."""
    text = str(value if value is not None else "").strip()
    if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_RECORD_ID:
        return int(text)
    return None


def query_id(name: str) -> int | None:
    """A query parameter naming a record (?season=3, ?page=2): None when absent or empty, the
    id when it is one (parse_record_id), else InputRefused."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    number = parse_record_id(value)
    if number is None:
        _refuse(_l("“%(name)s” must be a whole number from 1 to %(max)d.", name=name, max=MAX_RECORD_ID))
    return number


def query_date(name: str) -> date | None:
    """A day in the query (?to=2026-08-01): None when absent or empty, a day of a year from
    FIRST_YEAR to LAST_YEAR, else InputRefused."""
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        _refuse(_l("“%(name)s” must be a day written as 2026-08-01.", name=name))
    return day


def _check_request():
    _limit_the_body()
    for values in (request.args, request.form):
        for _key, value in values.items(multi=True):
            check_text(_key)
            check_text(value)
    if request.is_json and request.content_length:
        body = request.get_json()
        if request.blueprint == "api" and not isinstance(body, dict):
            _refuse(_l("The body must be a JSON object."))


def init_app(app):
    app.request_class = CheckedRequest
    app.json = CheckedJSONProvider(app)
    app.url_map.converters["int"] = RecordIdConverter
    app.before_request(_check_request)
