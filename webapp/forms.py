"""Form pieces more than one area uses."""

from flask import abort, flash
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget

from webapp.services.common.errors import FieldErrors, RuleError


class ButtonForm(FlaskForm):
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
