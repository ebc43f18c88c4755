from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from webapp.forms import Form, PhoneField
from webapp.i18n import NATIONAL_FIELD_LABELS
from webapp.services.national.national_lists import LIMITS as NATIONAL_LIMITS
from webapp.services.outreach.rosters import LIMITS as ROSTER_LIMITS
from webapp.vocabulary import NationalField


class RosterUploadForm(Form):
    """The school choices are set per request to the admin's own centre's active schools."""

    school = SelectField(_l("School"), coerce=int, validate_choice=False)
    file = FileField(
        _l("Roster file"),
        render_kw={"accept": ".xlsx,.csv"},
        description=_l(
            "An Excel workbook (.xlsx) or CSV file, at most %(mb)d MB and %(rows)d rows. The first "
            "row names the columns: 姓名 and 身份证号 are required, 班级 and 手机号 are optional.",
            mb=ROSTER_LIMITS.max_bytes // (1024 * 1024),
            rows=ROSTER_LIMITS.max_rows,
        ),
        validators=[
            FileRequired(_l("Choose the roster file to upload.")),
            FileAllowed(
                ["xlsx", "csv"],
                _l("Upload an Excel workbook (.xlsx) or a CSV file. Save older .xls files as .xlsx first."),
            ),
        ],
    )

    def validate_school(self, field):
        if field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Choose one of your centre's schools."))


class DutyForm(Form):
    """The leader choices are set per request to the centre's leaders and admins."""

    day = DateField(_l("Day"))
    leader = SelectField(_l("Duty leader"), validate_choice=False)


# The season's national policy numbers (services/casework/loan_rules.py POLICY_NUMBERS) with their
# labels, shared by the season form and the confirmation of a copied season.
POLICY_LABELS = {
    "cap_undergraduate": _l("Yearly cap, undergraduate (yuan)"),
    "cap_postgraduate": _l("Yearly cap, postgraduate (yuan)"),
    "min_amount": _l("Smallest loan per year (yuan)"),
    "term_extra_years": _l("Loan term: years added to the years of study left"),
    "term_max_years": _l("Loan term: at most (years)"),
    "grace_years": _l("Grace period for the principal (years)"),
    "lpr_spread_bp": _l("Interest: over-5-year LPR plus (basis points, negative for minus)"),
}
# Who may borrow by age: the centre's own settings (loan_rules.AgeSettings), not national rules.
AGE_LABELS = {
    "student_min_age": _l("Student's age on the day of application: from"),
    "student_max_age": _l("Student's age on the day of application: to"),
    "co_borrower_min_age": _l("Co-borrower: at least (years old)"),
    "other_co_borrower_min_age": _l("Co-borrower who is not a parent or guardian: from (years old)"),
    "other_co_borrower_max_age": _l("Co-borrower who is not a parent or guardian: to (years old)"),
}


def _with_policy_numbers(form_class):
    """Add one text field per policy number and age setting (parsed by the route, checked by the
    service)."""
    for name, label in {**POLICY_LABELS, **AGE_LABELS}.items():
        setattr(form_class, name, StringField(label))
    return form_class


@_with_policy_numbers
class SeasonForm(Form):
    """Numbers are text fields parsed by the route, so that bad input gets the service's message."""

    name = StringField(_l("Season name"))
    year = StringField(_l("Year"))
    acceptance_start = DateField(_l("Acceptance window opens"), validators=[Optional()])
    acceptance_end = DateField(_l("Acceptance window closes"), validators=[Optional()])
    contract_change_start = DateField(_l("Contract-change window opens"), validators=[Optional()])
    contract_change_end = DateField(_l("Contract-change window closes"), validators=[Optional()])
    confirmation_deadline = DateField(
        _l("Universities confirm receipts by (回执确认截止日)"), validators=[Optional()]
    )
    booking_cutoff_hours = StringField(_l("Booking and cancelling close (hours before the half-day)"))
    papers_to_follow = BooleanField(_l("The desk may accept with papers to follow"))
    postgraduates_here = BooleanField(_l("Postgraduates (研究生) apply here"))
    relief_note = TextAreaField(
        _l("This year's relief measures (interest waived, principal deferred), as the national notice says")
    )


class QuotaForm(Form):
    service = SelectField(_l("Service"), validate_choice=False)
    half_day = SelectField(_l("Half-day"), validate_choice=False)
    places = StringField(_l("Places per day"))


class ClosedDayForm(Form):
    """The half-day choices are set per request."""

    day = DateField(_l("Day"), validators=[Optional()])
    reason = StringField(_l("Reason (e.g. National Day)"))
    move = SelectField(
        _l("Bookings on that day"),
        choices=[
            SelectChoice("move", _l("Move them all to the half-day below")),
            SelectChoice("choose", _l("Cancel them and let each student choose again")),
        ],
        default="move",
    )
    move_to = DateField(_l("Move to the day"), validators=[Optional()])
    move_to_half_day = SelectField(_l("Half-day"), validate_choice=False)


class CopySeasonForm(Form):
    year = StringField(_l("Year of the new season"), id="copy-year")  # the season form has its own "year"


@_with_policy_numbers
class CopyConfirmForm(Form):
    """The second step of a copy: the policy numbers the new season will carry, confirmed."""

    year = HiddenField()


class CentreForm(Form):
    name = StringField(_l("Centre name"))
    name_en = StringField(_l("Centre name in English"))
    address = StringField(_l("Address"))
    phone = PhoneField(_l("Telephone"))
    contract_pattern = StringField(_l("Pattern of the national system's contract numbers"))
    receipt_code_pattern = StringField(_l("Pattern of its receipt verification codes"))


class StaffForm(Form):
    username = StringField(_l("Username"))
    name = StringField(_l("Name"))
    role = SelectField(_l("Role"), validate_choice=False)


class SchoolForm(Form):
    name = StringField(_l("School name"))
    kind = SelectField(_l("Kind of school"), validate_choice=False)
    code = StringField(_l("School code"))
    address = StringField(_l("Address"))
    contact = StringField(_l("Contact person and telephone"))


class NationalUploadForm(Form):
    """Season choices are the centre's seasons, set per request."""

    kind = SelectField(_l("Which list"), validate_choice=False)
    season = SelectField(_l("Season"), coerce=int, validate_choice=False)
    file = FileField(
        _l("File exported from the national system"),
        description=_l(
            "An Excel workbook (.xlsx) or CSV file (UTF-8 or GB18030), at most %(mb)d MB and %(rows)d rows. "
            "The first row names the columns; you say which is which the first time.",
            mb=NATIONAL_LIMITS.max_bytes // (1024 * 1024),
            rows=NATIONAL_LIMITS.max_rows,
        ),
        validators=[
            FileRequired(_l("Choose the file to upload.")),
            FileAllowed(
                ["xlsx", "csv"],
                _l("Upload an Excel workbook (.xlsx) or a CSV file. Save older .xls files as .xlsx first."),
            ),
        ],
    )


class ColumnMappingForm(Form):
    """One choice per field of the list (NationalField); fields a list has not are removed and
    the column choices set per request."""

    remember = BooleanField(_l("Use this mapping for the next files of this kind"), default=True)


for _field in NationalField:
    setattr(
        ColumnMappingForm,
        _field.value,
        SelectField(NATIONAL_FIELD_LABELS[_field.value], validate_choice=False, id=f"map-{_field.value}"),
    )


class ResolveForm(Form):
    key = HiddenField()
    note = TextAreaField(_l("What you found or did"))


class ConfirmReceiptForm(Form):
    confirmed_on = DateField(
        _l("Confirmed on"), validators=[InputRequired(_l("Enter the day of the confirmation."))]
    )
