"""What is captured about a student's loan: pre-registration at school and applications."""

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    DeferredForeignKey,
    ForeignKeyField,
    IntegerField,
    TextField,
    UUIDField,
)

from webapp.vocabulary import ApplicationStatus, Category, Health, Level, PreregStatus, Service

from .base import BaseModel, utcnow
from .centre import Centre, School, Season
from .fields import BlindIndexField, IdNumberField
from .identity import Guardian, Student, User


class PreRegistration(BaseModel):
    """A record captured offline at a school ("反向办"), idempotent by UUID and revision."""

    centre = ForeignKeyField(Centre, backref="pre_registrations", index=False)  # leads an index below
    uuid = UUIDField(unique=True)
    revision = IntegerField(default=1)
    student = ForeignKeyField(Student, null=True, backref="pre_registrations")
    id_number = IdNumberField(index_field="id_number_index")
    id_number_index = BlindIndexField(index=True)
    name = CharField()
    mobile = CharField(max_length=11, default="")
    school = ForeignKeyField(School, null=True, backref="pre_registrations")
    class_name = CharField(default="")
    guardian_name = CharField(default="")
    guardian_relation = CharField(max_length=10, default="")
    guardian_mobile = CharField(max_length=11, default="")
    guardian_id_number = IdNumberField()
    category = IntegerField(default=Category.NONE)
    intended_university = CharField(default="")
    intended_level = CharField(max_length=20, default="")
    notes = TextField(default="")
    status = CharField(max_length=20, default=PreregStatus.ACCEPTED, index=True)
    captured_by = ForeignKeyField(User, null=True, backref="pre_registrations")
    device_id = CharField(max_length=64, default="")
    captured_at = DateTimeField(null=True)
    received_at = DateTimeField(default=utcnow)
    # Who sent it, when not its capturer (an import, a shared device); the device's clock
    # minus the server's, in seconds, when the batch said; and what that says (ClockFlag).
    sent_by = ForeignKeyField(User, null=True, backref="sent_pre_registrations", index=False)
    clock_skew = IntegerField(null=True)
    clock_flag = CharField(max_length=20, default="")
    updated_at = DateTimeField(default=utcnow)
    # What the device last sent when it failed validation, and why (JSON).
    invalid_payload = TextField(default="")
    field_errors = TextField(default="")
    invalid_revision = IntegerField(null=True)
    duplicate_of = ForeignKeyField("self", null=True, backref="duplicates", index=False)
    # The ID number is known in another centre: a province matter; nothing of it is shown here.
    known_elsewhere = BooleanField(default=False)
    roster_entry = DeferredForeignKey("RosterEntry", null=True, backref="pre_registrations")
    reviewed_by = ForeignKeyField(User, null=True, backref="reviewed_pre_registrations", index=False)
    reviewed_at = DateTimeField(null=True)
    review_note = TextField(default="")

    class Meta:
        # covers the dashboard's pre-registrations kept in a year, counted and per school
        indexes = ((("centre", "status", "received_at", "school", "category"), False),)

    @property
    def earlier_in_centre(self):
        """The earlier record this one may duplicate, only when it is of the same centre."""
        earlier = self.duplicate_of
        return earlier if earlier is not None and earlier.centre_id == self.centre_id else None

    @property
    def needs_hardship_form(self):
        return self.category == Category.NONE


def _index_where_set(field):
    """An index of the pre-registrations that have field set (migration 0022): sent_by,
    reviewed_by and duplicate_of are empty on almost every record, and a sync batch should not
    pay for indexing the empty ones; a look-up by value (and a user's deletion) still uses it."""
    PreRegistration.add_index(
        PreRegistration.index(field, name=f"pre_registration_{field.column_name}", where=field.is_null(False))
    )


_index_where_set(PreRegistration.sent_by)
_index_where_set(PreRegistration.reviewed_by)
_index_where_set(PreRegistration.duplicate_of)


class Application(BaseModel):
    """A first loan, renewal or contract change in one season."""

    centre = ForeignKeyField(Centre, backref="applications")
    season = ForeignKeyField(Season, backref="applications")
    student = ForeignKeyField(Student, backref="applications")
    kind = CharField(max_length=20, default=Service.FIRST_LOAN)
    status = CharField(max_length=20, default=ApplicationStatus.DRAFT, index=True)
    co_borrower = ForeignKeyField(Guardian, null=True, backref="applications")
    university = CharField(default="")
    department = CharField(default="")
    major = CharField(default="")
    level = CharField(max_length=20, default=Level.UNDERGRADUATE)
    study_years = IntegerField(null=True)
    admission_year = IntegerField(null=True)
    tuition_fee = IntegerField(null=True)
    accommodation_fee = IntegerField(null=True)
    amount_requested = IntegerField(null=True)
    # The student declared borrowing only this 生源地 loan in the academic year, not the campus
    # (校园地) national student loan as well.
    one_loan_declared = BooleanField(default=False)
    loan_term_years = IntegerField(null=True)
    # The national system's contract number: unique in a season, empty (NULL) until accepted
    # at the window or, for a renewal approved online, until this year's contract list says it.
    contract_number = CharField(null=True)
    # The national system's receipt verification code (回执校验码): unique in a season.
    receipt_code = CharField(null=True)
    new_stage = CharField(max_length=24, default="")  # a NewStage, or "" for none
    materials_checked = CharField(default="")  # keys of materials.MATERIALS ticked at the desk
    accepted_by = ForeignKeyField(User, null=True, backref="accepted_applications")
    # Papers now, contract later (crowded days): the papers were checked, the contract waits
    # for a return visit booked by the desk.
    papers_received_at = DateTimeField(null=True)
    papers_received_by = ForeignKeyField(User, null=True, backref="received_papers")
    hardship_required = BooleanField(default=True)
    return_reason = TextField(default="")
    # Family hardship (only when hardship_required): comma-separated keys of the tuples above.
    special_groups = CharField(default="")
    hardship_factors = CharField(default="")
    hardship_details = TextField(default="")
    # The family-hardship form's written factors (家庭遭受自然灾害情况 …), by HARDSHIP_NOTES key.
    disaster_note = TextField(default="")
    accident_note = TextField(default="")
    labour_note = TextField(default="")
    unemployment_note = TextField(default="")
    debt_note = TextField(default="")
    other_note = TextField(default="")
    aid_received = TextField(default="")
    pledge_signed_at = DateTimeField(null=True)
    # The student and the family, for both forms (the "personal" step).
    ethnicity = CharField(max_length=2, default="")  # an Ethnicity code
    political_status = CharField(max_length=20, default="")
    hukou_type = CharField(max_length=10, default="")
    hukou_place = CharField(max_length=100, default="")  # 户籍所在地, as the household register says
    household_size = IntegerField(null=True)
    high_school = CharField(default="")
    graduation_year = IntegerField(null=True)
    specialty = CharField(default="")
    home_address = CharField(default="")
    postcode = CharField(max_length=6, default="")
    family_phone = CharField(max_length=20, default="")
    student_number = CharField(max_length=30, default="")
    application_reason = TextField(default="")
    # Renewal declaration: the year now studied, how it goes, and contact data that changed.
    year_of_study = IntegerField(null=True)
    study_progress = CharField(max_length=20, default="")
    declared_mobile = CharField(max_length=11, default="")
    declared_co_borrower_mobile = CharField(max_length=11, default="")
    contact_note = TextField(default="")
    needs_window = BooleanField(default=False)
    reviewed_by = ForeignKeyField(User, null=True, backref="reviewed_applications")
    reviewed_at = DateTimeField(null=True)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    submitted_at = DateTimeField(null=True)
    accepted_at = DateTimeField(null=True, index=True)
    # Minutes from check-in (the ticket) to acceptance, kept at acceptance for the dashboard.
    desk_minutes = IntegerField(null=True)

    class Meta:
        # save() writes the fields a request set, never a whole row it loaded earlier (over a
        # status another request moved meanwhile: services/casework/transitions.py)
        only_save_dirty = True
        indexes = (
            (("season", "student", "kind"), True),
            (("season", "contract_number"), True),
            (("season", "receipt_code"), True),
            # covers the dashboard's one grouped pass over a season's applications
            (
                (
                    "season",
                    "kind",
                    "status",
                    "needs_window",
                    "accepted_at",
                    "amount_requested",
                    "desk_minutes",
                ),
                False,
            ),
            (("centre", "accepted_at"), False),  # acceptances of a day
            # a season's accepted applications: each day's as a range (the dashboard's daily
            # series), and by student with the amount (the dashboard's amount per school)
            (("season", "status", "accepted_at"), False),
            (("season", "status", "student", "amount_requested"), False),
        )


class OwedMaterial(BaseModel):
    """A paper the student still owes after an acceptance with papers to follow."""

    application = ForeignKeyField(Application, backref="owed_materials", on_delete="CASCADE")
    material = CharField(max_length=32)  # a key of the service's materials
    due_on = DateField()
    recorded_by = ForeignKeyField(User, backref="recorded_owed_materials")
    recorded_at = DateTimeField(default=utcnow)
    received_at = DateTimeField(null=True)
    received_by = ForeignKeyField(User, null=True, backref="received_owed_materials")

    class Meta:
        indexes = ((("application", "material"), True),)


class FamilyMember(BaseModel):
    """One row of the family members table of the family-hardship form."""

    application = ForeignKeyField(Application, backref="family_members", on_delete="CASCADE")
    position = IntegerField(default=0)
    name = CharField()
    age = IntegerField()
    relation = CharField(max_length=12)
    employer = CharField(default="")
    occupation = CharField(default="")
    annual_income = IntegerField(default=0)
    health = CharField(max_length=20, default=Health.HEALTHY)
    note = CharField(default="")  # 已故, 离异 and the like, beside the health

    class Meta:
        indexes = ((("application", "position"), True),)
