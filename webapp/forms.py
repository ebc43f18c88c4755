"""Form pieces more than one area uses."""

from flask import abort, flash
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.services.common.errors import FieldErrors, RuleError
from webapp.services.common.one_line import line_break_error

# The longest text a field takes: a one-line field fits the database's text columns (255
# characters), a text box (a reason, a note) a page. Services hold narrower fields to less.
LINE_LIMIT, TEXT_LIMIT = 255, 5000


class Form(FlaskForm):
    """Every form of the app: a text longer than a field takes, or a line break in a one-line
    field, is refused on its field with a message, on every path, before a service (or the
    database) sees it."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in _text_fields(self):
            box = isinstance(field, TextAreaField)
            limit = TEXT_LIMIT if box else LINE_LIMIT
            if isinstance(field.data, str) and len(field.data) > limit:
                field.errors = [*field.errors, _l("At most %(n)d characters.", n=limit)]
                valid = False
            elif not box and (message := line_break_error(field.data)):
                field.errors = [*field.errors, message]
                valid = False
        return valid


def _text_fields(form):
    """The form's text fields, those of its tables' rows included."""
    for field in form:
        if isinstance(field, FieldList):
            for entry in field:
                yield from _text_fields(entry.form) if isinstance(entry, FormField) else [entry]
        elif isinstance(field, FormField):
            yield from _text_fields(field.form)
        elif isinstance(field, StringField):
            yield field


class PhoneField(StringField):
    """A mobile or telephone number: phones open their number pad (inputmode tel)."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "tel"})
        super().__init__(label, validators, **kwargs)


class ButtonForm(Form):
    """Only the CSRF token, for one-button actions (cancel a booking, call the next ticket …)."""


class CheckboxesField(SelectMultipleField):
    """A list of checkboxes, one per choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def show_errors(form, errors, fields=None):
    """Put a service's messages next to their fields (fields: name → field, when the names
    are not the form's own, as in a table of rows); a message for no field goes on top, with
    the form's own (the CSRF token's) errors."""
    fields = fields or form._fields
    for name, message in errors.items():
        field = fields.get(name, form.csrf_token)
        field.errors = [*field.errors, message]  # a tuple until the form was validated


def submit_form(form, action, page, done, invalid=None):
    """A form's step, the same everywhere: show the page, or validate the form, run the service
    call, and answer with the next page; a refusal shows its messages on the same page.

    action() calls the service and returns what done() needs; page(status) renders the page with
    the form; done(result) answers a success (a redirect, usually after a flash); invalid()
    answers a form that does not validate (by default the page again, 422)."""
    if not form.is_submitted():
        return page(200)
    if not form.validate():
        return invalid() if invalid else page(422)
    try:
        result = action()
    except (FieldErrors, RuleError) as exc:
        show_errors(form, exc.errors)
        return page(exc.status)
    return done(result)


def send_code_step(form, send, page, sent_message):
    """The "send me a code" button inside a form: send() asks for the one-time code; the page
    comes back with the message that it is on its way, or with the refusal by its field."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        send()
    except (FieldErrors, RuleError) as exc:
        show_errors(form, exc.errors)
        return page(exc.status)
    flash(sent_message, "info")
    return page(200)


def whole_number(text):
    """A count or an amount as typed ("12,000"), or None when it is not a whole number."""
    text = str(text or "").strip().replace(",", "")
    return int(text) if text.isdigit() else None


def choices(labels):
    """A select field's choices from a vocabulary's labels, in their order."""
    return [(key, str(label)) for key, label in labels.items()]
