from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField


class RenewalDecisionForm(FlaskForm):
    """Approve (optionally asking for a visit to the window) or return with a reason."""
    needs_window = BooleanField(_l("The student must come to the window to sign"))
    reason = TextAreaField(_l("Reason for returning (the student reads it)"))
