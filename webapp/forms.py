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
