from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired


class BookingForm(FlaskForm):
    service = HiddenField()
    slot = StringField(_l("Half-day"), validators=[DataRequired(_l("Choose a half-day."))])


class CancelForm(FlaskForm):
    """Only the CSRF token: cancelling is one button."""
