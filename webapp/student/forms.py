from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import DataRequired


class BookingForm(FlaskForm):
    service = HiddenField()
    slot = StringField(_l("Half-day"), validators=[DataRequired(_l("Choose a half-day."))])


class ButtonForm(FlaskForm):
    """Only the CSRF token, for one-button actions (cancel a booking, submit the application)."""


class CoBorrowerForm(FlaskForm):
    name = StringField(_l("Co-borrower's name"))
    relation = SelectField(_l("Relation"), validate_choice=False)
    id_number = StringField(_l("Co-borrower's resident ID number"))
    mobile = StringField(_l("Co-borrower's mobile number"))


class StudyForm(FlaskForm):
    university = StringField(_l("University"))
    department = StringField(_l("Department"))
    major = StringField(_l("Major"))
    level = SelectField(_l("Level"), validate_choice=False)
    study_years = StringField(_l("Length of study (years)"))
    admission_year = StringField(_l("Year of admission"))
    tuition_fee = StringField(_l("Tuition per year (yuan)"))
    accommodation_fee = StringField(_l("Accommodation per year (yuan)"))


class LoanForm(FlaskForm):
    amount = StringField(_l("Loan amount per year (yuan)"))
