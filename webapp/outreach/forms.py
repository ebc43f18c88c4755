from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from webapp.forms import Form


class ReviewForm(Form):
    action = SelectField(
        _l("Decision"),
        choices=[
            SelectChoice("merge", _l("Merge into the earlier record")),
            SelectChoice("keep", _l("Keep both as different people")),
            SelectChoice("reject", _l("Reject")),
        ],
        validators=[DataRequired()],
    )
    note = TextAreaField(_l("Note or reason"), validators=[Optional(), Length(max=1000)])


class OutboxImportForm(Form):
    file = FileField(
        _l("Exported file of unsent records"),
        validators=[
            FileRequired(_l("Choose the file exported on the device.")),
            FileAllowed(["json"], _l("Choose the .json file the device exported.")),
        ],
    )
