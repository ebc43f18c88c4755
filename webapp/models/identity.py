"""Students, their guardians and co-borrowers, and accounts that sign in."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from webapp.vocabulary import STAFF_ROLES, Role

from .base import BaseModel, utcnow
from .centre import Centre, School
from .fields import BlindIndexField, IdNumberField


class Student(BaseModel):
    """A person who may borrow; the ID number is the natural key across the province."""

    centre = ForeignKeyField(Centre, backref="students")
    # encrypted; its blind index is unique (models/fields.py), the last four for the desk
    id_number = IdNumberField(index_field="id_number_index", last4_field="id_number_last4")
    id_number_index = BlindIndexField(unique=True)
    id_number_last4 = CharField(max_length=4, default="", index=True)
    name = CharField()
    birth_date = DateField()
    sex = CharField(max_length=1)  # "M" or "F", derived from the ID number
    mobile = CharField(max_length=11, default="")
    school = ForeignKeyField(School, null=True, backref="students")
    class_name = CharField(default="")
    # The student chose this centre although the ID number was issued elsewhere: the desk
    # checks the household register (户口本) before accepting.
    household_to_check = BooleanField(default=False)
    # Text messages: the language they are written in, and whether timed reminders are wanted.
    language = CharField(max_length=8, default="")
    reminders_off = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        # each student's school without reading the row (the dashboard's amount per school)
        indexes = ((("id", "school"), False),)


class Guardian(BaseModel):
    """A parent or relative; the co-borrower (共同借款人) is one of them."""

    student = ForeignKeyField(Student, backref="guardians", on_delete="CASCADE")
    name = CharField()
    relation = CharField(max_length=10)
    id_number = IdNumberField()
    mobile = CharField(max_length=11, default="")
    is_co_borrower = BooleanField(default=False)
    employer = CharField(default="")  # 工作单位
    address = CharField(default="")  # 住址


class User(BaseModel):
    """An account: staff (by username) or student (by ID number or mobile)."""

    centre = ForeignKeyField(Centre, null=True, backref="users")
    role = CharField(max_length=10, index=True)
    username = CharField(max_length=64, unique=True)
    name = CharField()
    mobile = CharField(max_length=11, null=True, unique=True)
    password_hash = CharField(max_length=255)
    student = ForeignKeyField(Student, null=True, unique=True, backref="accounts")
    # A sign-up for a record made at school whose captured mobile it could not prove: the
    # desk checks the ID card and household register (户口本), then links it to student.
    claimed_student = ForeignKeyField(Student, null=True, backref="claims")
    active = BooleanField(default=True)
    # An admin-made temporary password is changed at the first sign-in.
    must_change_password = BooleanField(default=False)
    created_at = DateTimeField(default=utcnow)
    last_login_at = DateTimeField(null=True)

    # Flask-Login protocol
    @property
    def is_authenticated(self):
        return True

    @property
    def is_active(self):
        return self.active

    @property
    def is_anonymous(self):
        return False

    # The sign-in session this object was loaded for (services/identity/sign_in_sessions.py): its key
    # goes into the session and remember-me cookies in place of a bare user id.
    sign_in_key = None
    sign_in_session_id = None

    def get_id(self):
        return f"{self.id}-{self.sign_in_key}"

    @property
    def is_staff(self):
        return self.role in STAFF_ROLES or self.role == Role.PROVINCE


class LoginThrottle(BaseModel):
    """Failed sign-ins per identifier or address, shared by every app process."""

    key = CharField(max_length=128, unique=True)
    failures = IntegerField(default=0)
    first_failure_at = DateTimeField(default=utcnow)
    locked_until = DateTimeField(null=True)


class SignInSession(BaseModel):
    """One signed-in device: what its cookies carry is a key whose hash is kept here, so that
    signing out, a password change or a reset ends it, and the user can see and end it."""

    user = ForeignKeyField(User, backref="sign_in_sessions", on_delete="CASCADE")
    key_hash = CharField(max_length=64, unique=True)
    # A rotated remember-me key stays good for a moment, for requests already on their way.
    previous_key_hash = CharField(max_length=64, null=True, index=True)
    rotated_at = DateTimeField(null=True)
    remembered = BooleanField(default=False)
    ip = CharField(max_length=45, default="")
    user_agent = CharField(max_length=200, default="")
    created_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)
    ended_at = DateTimeField(null=True)
