"""Centres, their seasons and schools: the frame every other record hangs from."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.vocabulary import Level, SchoolKind

from .base import BaseModel, utcnow


class Centre(BaseModel):
    """A county student-aid centre (县学生资助管理中心)."""

    name = CharField()
    name_en = CharField(default="")
    region_code = CharField(max_length=6, unique=True)
    address = CharField(default="")
    phone = CharField(default="")
    # What the national system's contract numbers and receipt verification codes look like in
    # this centre (regular expressions; services/national/national_codes.py).
    contract_pattern = CharField(default="")
    receipt_code_pattern = CharField(default="")
    created_at = DateTimeField(default=utcnow)


class Season(BaseModel):
    """One year's acceptance season with its policy numbers (docs/domain.md sections 2 and 3)."""

    centre = ForeignKeyField(Centre, backref="seasons")
    year = IntegerField()
    name = CharField()
    acceptance_start = DateField()
    acceptance_end = DateField()
    contract_change_start = DateField(null=True)
    contract_change_end = DateField(null=True)
    # The day by which universities should have confirmed the season's receipts (回执确认).
    confirmation_deadline = DateField(null=True)
    booking_cutoff_hours = IntegerField(default=24)
    cap_undergraduate = IntegerField()
    cap_postgraduate = IntegerField()
    min_amount = IntegerField(default=1000)
    term_extra_years = IntegerField(default=15)
    term_max_years = IntegerField(default=22)
    grace_years = IntegerField(default=5)
    lpr_spread_bp = IntegerField(default=-70)  # 财教〔2024〕188号
    # Who may borrow (services/casework/loan_rules.py AgeSettings, the centre's settings): the
    # student's ages on the day of application, the co-borrower's least age, and the ages of a
    # co-borrower who is not a parent or guardian.
    student_min_age = IntegerField(default=15)
    student_max_age = IntegerField(default=45)
    co_borrower_min_age = IntegerField(default=18)
    other_co_borrower_min_age = IntegerField(default=22)
    other_co_borrower_max_age = IntegerField(default=60)
    # The desk may accept with named papers still to follow (the Shenzhen practice).
    papers_to_follow = BooleanField(default=True)
    # Postgraduates borrow here (on by default); off where the province sends them to their
    # university's loan (校园地国家助学贷款).
    postgraduates_here = BooleanField(default=True)
    # The year's relief measures (interest waived, principal deferred) as the centre words
    # them, shown on /policy and to renewing students; the app applies nothing itself.
    relief_note = TextField(default="")
    is_current = BooleanField(default=False)

    class Meta:
        indexes = ((("centre", "year"), True),)

    def cap_for(self, level):
        return self.cap_postgraduate if level == Level.POSTGRADUATE else self.cap_undergraduate


class School(BaseModel):
    centre = ForeignKeyField(Centre, backref="schools")
    name = CharField()
    kind = CharField(max_length=20, default=SchoolKind.GENERAL)
    code = CharField(max_length=32, default="")
    address = CharField(default="")
    contact = TextField(default="")
    active = BooleanField(default=True)

    class Meta:
        indexes = ((("centre", "name"), True),)
