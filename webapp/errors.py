"""Every error is a page in the user's language with a 4xx/5xx status, never a stack trace."""

from flask import current_app, has_request_context, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from peewee import DataError
from werkzeug.exceptions import HTTPException

from webapp.db import database
from webapp.input_checks import InputRefused
from webapp.services.common.errors import FieldErrors, RuleError

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your account does not give access to this page.")),
    404: (_l("Not found"), _l("There is no such page, or it is not yours to see.")),
    405: (_l("Not allowed"), _l("This page does not accept that kind of request.")),
    409: (_l("Not possible now"), None),  # the refusal's own message, see _refused
    413: (_l("Too large"), None),  # the message names the limit, see _http
    422: (
        _l("Not saved"),
        _l("A value is longer or larger than this form takes. Go back, shorten it and send it again."),
    ),
    429: (_l("Too many requests"), _l("Please wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("The error was recorded. Nothing you saved before was lost.")),
}


# What the JSON API answers in "error", for a program to act on (the message is for people).
ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    500: "server_error",
}


def wants_json() -> bool:
    """The API, a .json endpoint (polled by a page), or a client that sent or asks for JSON."""
    return (
        request.blueprint == "api"
        or request.path.endswith(".json")
        or request.is_json
        or request.accept_mimetypes.best == "application/json"
    )


def _render(status, title, message, code=None):
    if wants_json():
        return jsonify(error=code or ERROR_CODES.get(status, "error"), message=str(message)), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _body_limit() -> int:
    """The limit of this request's route (webapp/input_checks.py), else the app's."""
    limit = request.max_content_length if has_request_context() else None
    return limit or current_app.config["MAX_CONTENT_LENGTH"] or 0


def _size(limit: int) -> str:
    return f"{max(limit // (1024 * 1024), 1)} MB" if limit >= 1024 * 1024 else f"{max(limit // 1024, 1)} KB"


def init_app(app):
    @app.errorhandler(CSRFError)
    def _csrf(exc):
        return _render(
            400,
            _l("Form expired"),
            _l("The form was open too long or was sent from elsewhere. Reload the page and send it again."),
        )

    @app.errorhandler(InputRefused)
    def _input_refused(exc):
        return _render(400, MESSAGES[400][0], exc.description, InputRefused.code_name)

    @app.errorhandler(HTTPException)
    def _http(exc):
        title, message = MESSAGES.get(exc.code, (exc.name, exc.description))
        if exc.code == 413:
            message = _l("What you sent is too large (at most %(size)s at once).", size=_size(_body_limit()))
        return _render(exc.code, title, message)

    @app.errorhandler(RuleError)
    @app.errorhandler(FieldErrors)
    def _refused(exc):
        """A service's refusal no view caught (a race another request won, mostly): its own
        message and status, never a server error."""
        title = MESSAGES.get(exc.status, MESSAGES[409])[0]
        return _render(exc.status, title, exc.message)

    @app.errorhandler(DataError)
    def _too_long_for_the_database(exc):
        """A value the forms' own limits let through and a column refuses: nothing of the
        request is kept, and the person is told what to do, not shown a server error."""
        app.logger.warning("A value did not fit its column: %s", str(exc).splitlines()[0][:200])
        if not database.is_closed() and database.in_transaction():
            database.rollback()
        return _render(422, *MESSAGES[422], code="invalid_input")

    @app.errorhandler(Exception)
    def _unexpected(exc):
        app.logger.exception("Unhandled error")
        return _render(500, *MESSAGES[500])
