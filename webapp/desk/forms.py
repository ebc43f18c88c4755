from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from webapp.forms import CheckboxesField, Form, PhoneField

WINDOWS = range(1, 21)


class RenewalDecisionForm(Form):
    """Approve (optionally asking for a visit to the window) or return with a reason."""

    needs_window = BooleanField(_l("The student must come to the window to sign"))
    reason = TextAreaField(_l("Reason for returning (the student reads it)"))


class WalkInForm(Form):
    name = StringField(_l("Name"))
    id_number = StringField(_l("Resident ID number"))
    service = SelectField(_l("Service"), validate_choice=False)


class WalkInStudentForm(Form):
    """The record of a walk-in the centre has never met, from the ID card in hand."""

    name = StringField(_l("Name as on the ID card"))
    id_number = StringField(_l("Resident ID number"))
    mobile = PhoneField(_l("Mobile number (optional)"))


class GreenChannelForm(Form):
    reason = StringField(_l("Reason for the green channel"))


class WindowForm(Form):
    window = SelectField(_l("Window"), choices=[SelectChoice(str(n)) for n in WINDOWS])
    service = SelectField(_l("Service"), validate_choice=False)


class DeskCheckForm(Form):
    """One form for the whole check at the window: the ticks, one correction and the contract
    number, saved together, with or without accepting, so that nothing typed is lost."""

    materials = CheckboxesField(_l("Materials checked"), validate_choice=False)
    field = SelectField(_l("Field to correct"), validate_choice=False)
    value = StringField(_l("Correct value"))
    contract_number = StringField(_l("Contract number"))
    receipt_code = StringField(_l("Receipt verification code (national system)"))
    papers_follow = BooleanField(_l("Accept with the unticked papers to follow"))
    papers_due = DateField(_l("Papers due by"), validators=[Optional()])


class ContractLaterForm(Form):
    """Papers now, contract later: the return half-day the desk books for the student."""

    day = DateField(_l("Day of the return visit"), validators=[Optional()])
    half_day = SelectField(_l("Half-day"), validate_choice=False)


class RevokeForm(Form):
    reason = StringField(_l("Reason for revoking"))


class IncidentForm(Form):
    kind = SelectField(_l("What happened"), validate_choice=False)
    description = TextAreaField(_l("Description"))


class CloseIncidentForm(Form):
    follow_up = TextAreaField(_l("Follow-up"))


class ContractChangeForm(Form):
    """The fields of every kind of change; the page shows those of the chosen kind. Numbers are
    text, parsed by the route, so that bad input gets the service's message."""

    materials = CheckboxesField(_l("Papers checked"), validate_choice=False)
    name = StringField(_l("New co-borrower's name"))
    relation = SelectField(_l("Relation to the student"), validate_choice=False)
    id_number = StringField(_l("New co-borrower's resident ID number"))
    mobile = PhoneField(_l("New co-borrower's mobile number"))
    university = StringField(_l("University"))
    study_years = StringField(_l("Length of study (years)"))
    amount = StringField(_l("New amount per year (yuan)"))
    note = TextAreaField(_l("Note (what the national system shows, anything unusual)"))
