from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import DateField, SelectField
from wtforms.validators import ValidationError

from webapp.services.rosters import MAX_BYTES, MAX_ROWS


class RosterUploadForm(FlaskForm):
    """The school choices are set per request to the admin's own centre's active schools."""

    school = SelectField(_l("School"), coerce=int, validate_choice=False)
    file = FileField(_l("Roster file"), render_kw={"accept": ".xlsx,.csv"}, description=_l(
        "An Excel workbook (.xlsx) or CSV file, at most %(mb)d MB and %(rows)d rows. The first "
        "row names the columns: 姓名 and 身份证号 are required, 班级 and 手机号 are optional.",
        mb=MAX_BYTES // (1024 * 1024), rows=MAX_ROWS), validators=[
        FileRequired(_l("Choose the roster file to upload.")),
        FileAllowed(["xlsx", "csv"], _l("Upload an Excel workbook (.xlsx) or a CSV file. "
                                        "Save older .xls files as .xlsx first."))])

    def validate_school(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose one of your centre's schools."))


class DutyForm(FlaskForm):
    """The leader choices are set per request to the centre's leaders and admins."""

    day = DateField(_l("Day"))
    leader = SelectField(_l("Duty leader"), validate_choice=False)
