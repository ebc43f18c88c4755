from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length

from webapp.forms import Form, PhoneField
from webapp.services.casework.applications import ONE_LOAN_DECLARATION


class BookingForm(Form):
    service = HiddenField()
    slot = StringField(_l("Half-day"), validators=[DataRequired(_l("Choose a half-day."))])


class NewStageForm(Form):
    new_stage = SelectField(_l("The new stage of study"), validate_choice=False)


class RenewalForm(Form):
    year_of_study = StringField(_l("Year of study you are now in"))
    study_progress = SelectField(_l("How your studies are going"), validate_choice=False)
    amount = StringField(_l("Loan amount for the coming year (yuan)"))
    mobile = PhoneField(_l("New mobile number (leave empty if unchanged)"))
    mobile_code = StringField(_l("Code sent to the new number"), validators=[Length(max=12)])
    co_borrower_mobile = PhoneField(_l("Co-borrower's new mobile number (leave empty if unchanged)"))
    contact_note = TextAreaField(_l("Other changes (address, university contact)"))
    one_loan = BooleanField(_l(ONE_LOAN_DECLARATION))
