"""The two shapes of a refusal. A service raises one of these (or a subclass named for its
domain) and changes nothing; a view shows the message(s) with the status as its answer."""

from flask_babel.speaklater import LazyString


class RuleError(ValueError):
    """A rule refused the action as a whole: one message fit to show, and the HTTP status."""

    status = 409

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status

    @property
    def errors(self) -> dict:
        """The message as a form shows it: on top, tied to no field."""
        return {"_": self.message}


class FieldErrors(ValueError):
    """Messages by form field (a key no field has goes on top); nothing of the step was saved."""

    status = 422

    def __init__(self, errors, status=None):
        super().__init__(errors)
        self.errors = errors
        if status is not None:
            self.status = status

    @property
    def message(self) -> LazyString | str:
        """The first message, where one line is enough (a flash, a JSON error)."""
        return next(iter(self.errors.values()))
