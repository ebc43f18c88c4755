from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from webapp.forms import Form, PhoneField


class LoginForm(Form):
    identifier = StringField(
        _l("ID number, mobile or username"),
        validators=[DataRequired(_l("Enter your ID number, mobile or username."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class PasswordForm(Form):
    current = PasswordField(_l("Current password"))
    password = PasswordField(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"))


class SignupForm(Form):
    id_number = StringField(_l("Resident ID number"), validators=[Length(max=32)])
    name = StringField(_l("Name"), validators=[Length(max=50)])
    mobile = PhoneField(_l("Mobile number"), validators=[Length(max=20)])
    code = StringField(_l("Code from the text message"), validators=[Length(max=12)])
    # Shown only when the deployment has more than one centre; choices are set per request.
    centre = SelectField(_l("Your county aid centre"), validate_choice=False)
    password = PasswordField(_l("Password"))
    confirm = PasswordField(
        _l("Repeat the password"), validators=[EqualTo("password", _l("The two passwords differ."))]
    )


class CodeSignInForm(Form):
    """Staff sign-in with a code sent to the account's registered mobile (while paused)."""

    identifier = StringField(_l("Username"), validators=[Length(max=100)])
    code = StringField(_l("Code from the text message"), validators=[Length(max=12)])
    password = PasswordField(_l("Password"))


class PasswordResetForm(Form):
    """A forgotten password: a code to the account's mobile, then the new password."""

    mobile = PhoneField(_l("The mobile number you sign in with"), validators=[Length(max=20)])
    code = StringField(_l("Code from the text message"), validators=[Length(max=12)])
    password = PasswordField(_l("New password"))
    confirm = PasswordField(_l("Repeat the new password"))
