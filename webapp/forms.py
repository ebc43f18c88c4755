"""Form pieces more than one area uses."""

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


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
        fields.get(name, form.csrf_token).errors.append(message)
