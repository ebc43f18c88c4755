"""The forms of the application's steps."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import Form as RowForm

from webapp.forms import CheckboxesField, Form, PhoneField
from webapp.services.casework.applications import ONE_LOAN_DECLARATION


class PersonalForm(Form):
    """The student and the family, as both printed forms ask."""

    ethnicity = SelectField(_l("Ethnic group"), validate_choice=False)
    political_status = SelectField(_l("Political status"), validate_choice=False)
    hukou_type = SelectField(_l("Household registration before university"), validate_choice=False)
    hukou_place = StringField(
        _l("Place of household registration (户籍所在地), as the household register says")
    )
    household_size = StringField(_l("People in the family"))
    home_address = StringField(_l("Family address for letters"))
    postcode = StringField(_l("Postcode"))
    family_phone = PhoneField(_l("Family telephone"))
    high_school = StringField(_l("High school graduated from"))
    graduation_year = StringField(_l("Year of graduation from high school"))
    specialty = StringField(_l("Talents and strengths"))
    student_number = StringField(_l("Student number at the university (when known)"))
    application_reason = TextAreaField(_l("Why you apply for the loan"))


class CoBorrowerForm(Form):
    name = StringField(_l("Co-borrower's name"))
    relation = SelectField(_l("Relation"), validate_choice=False)
    id_number = StringField(_l("Co-borrower's resident ID number"))
    mobile = PhoneField(_l("Co-borrower's mobile number"))
    employer = StringField(_l("Co-borrower's employer"))
    address = StringField(_l("Co-borrower's address"))


class StudyForm(Form):
    university = StringField(_l("University"))
    department = StringField(_l("Department"))
    major = StringField(_l("Major"))
    level = SelectField(_l("Level"), validate_choice=False)
    study_years = StringField(_l("Length of study (years)"))
    admission_year = StringField(_l("Year of admission"))
    tuition_fee = StringField(_l("Tuition per year (yuan)"))
    accommodation_fee = StringField(_l("Accommodation per year (yuan)"))


class LoanForm(Form):
    amount = StringField(_l("Loan amount per year (yuan)"))
    one_loan = BooleanField(_l(ONE_LOAN_DECLARATION))


class FamilyMemberForm(RowForm):
    """One row of the family members table (no CSRF of its own: it lives inside a form)."""

    name = StringField(_l("Name"))
    age = StringField(_l("Age"))
    relation = SelectField(_l("Relation"), validate_choice=False)
    employer = StringField(_l("Employer"))
    occupation = StringField(_l("Occupation"))
    annual_income = StringField(_l("Annual income (yuan)"))
    health = SelectField(_l("Health"), validate_choice=False)
    note = StringField(_l("Note (deceased, divorced …)"))


class HardshipForm(Form):
    members = FieldList(FormField(FamilyMemberForm), min_entries=4, max_entries=8)
    special_groups = CheckboxesField(_l("Special groups (tick all that apply)"), validate_choice=False)
    hardship_factors = CheckboxesField(_l("Factors of hardship"), validate_choice=False)
    disaster_note = TextAreaField(_l("Natural disasters the family suffered"))
    accident_note = TextAreaField(_l("Sudden accidents the family suffered"))
    labour_note = TextAreaField(_l("Family members less able to work through disability or age"))
    unemployment_note = TextAreaField(_l("Unemployment of family members"))
    debt_note = TextAreaField(_l("Debts of the family"))
    other_note = TextAreaField(_l("Other circumstances"))
    aid_received = TextAreaField(_l("Aid already received this academic year"))
    hardship_details = TextAreaField(_l("Anything else about the family's situation"))
    pledge = BooleanField(
        _l(
            "I promise that the information above is true. If it is false, I accept that the recognition is withdrawn and the aid is returned."
        )
    )
