"""Initial schema: centres, seasons, schools, people, casework, the desk and the audit log.

Frozen copies of the models as they were; timestamp defaults are set by the app.
"""

from peewee import *


def up(migrator, db):
    class Centre(Model):
        name = CharField()
        name_en = CharField(default="")
        region_code = CharField(unique=True, max_length=6)
        address = CharField(default="")
        phone = CharField(default="")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "centre"

    db.create_tables([Centre])

    class Season(Model):
        centre = ForeignKeyField(Centre)
        year = IntegerField()
        name = CharField()
        acceptance_start = DateField()
        acceptance_end = DateField()
        contract_change_start = DateField(null=True)
        contract_change_end = DateField(null=True)
        booking_cutoff_hours = IntegerField(default=24)
        cap_undergraduate = IntegerField()
        cap_postgraduate = IntegerField()
        min_amount = IntegerField(default=1000)
        term_extra_years = IntegerField(default=15)
        term_max_years = IntegerField(default=22)
        grace_years = IntegerField(default=5)
        lpr_spread_bp = IntegerField(default=-60)
        is_current = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "season"
            indexes = ((("centre", "year"), True),)

    db.create_tables([Season])

    class School(Model):
        centre = ForeignKeyField(Centre)
        name = CharField()
        kind = CharField(max_length=20, default="general")
        code = CharField(max_length=32, default="")
        address = CharField(default="")
        contact = TextField(default="")
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "school"
            indexes = ((("centre", "name"), True),)

    db.create_tables([School])

    class Student(Model):
        centre = ForeignKeyField(Centre)
        id_number = CharField(unique=True, max_length=18)
        name = CharField()
        birth_date = DateField()
        sex = CharField(max_length=1)
        mobile = CharField(max_length=11, default="")
        school = ForeignKeyField(School, null=True)
        class_name = CharField(default="")
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "student"

    db.create_tables([Student])

    class Guardian(Model):
        student = ForeignKeyField(Student, on_delete="CASCADE")
        name = CharField()
        relation = CharField(max_length=10)
        id_number = CharField(max_length=18, default="")
        mobile = CharField(max_length=11, default="")
        is_co_borrower = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "guardian"

    db.create_tables([Guardian])

    class Application(Model):
        centre = ForeignKeyField(Centre)
        season = ForeignKeyField(Season)
        student = ForeignKeyField(Student)
        kind = CharField(max_length=20, default="first_loan")
        status = CharField(index=True, max_length=20, default="draft")
        co_borrower = ForeignKeyField(Guardian, null=True)
        university = CharField(default="")
        department = CharField(default="")
        major = CharField(default="")
        level = CharField(max_length=20, default="undergraduate")
        study_years = IntegerField(null=True)
        admission_year = IntegerField(null=True)
        tuition_fee = IntegerField(null=True)
        accommodation_fee = IntegerField(null=True)
        amount_requested = IntegerField(null=True)
        loan_term_years = IntegerField(null=True)
        contract_number = CharField(default="")
        hardship_required = BooleanField(default=True)
        return_reason = TextField(default="")
        created_at = DateTimeField()
        updated_at = DateTimeField()
        submitted_at = DateTimeField(null=True)
        accepted_at = DateTimeField(index=True, null=True)

        class Meta:
            database = db
            table_name = "application"
            indexes = ((("season", "student", "kind"), True),)

    db.create_tables([Application])

    class Appointment(Model):
        centre = ForeignKeyField(Centre)
        season = ForeignKeyField(Season)
        student = ForeignKeyField(Student)
        application = ForeignKeyField(Application, null=True)
        service = CharField(max_length=20)
        day = DateField()
        half_day = CharField(max_length=10)
        code = CharField(unique=True, max_length=12)
        status = CharField(max_length=12, default="booked")
        created_at = DateTimeField()
        cancelled_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "appointment"
            indexes = ((("centre", "day", "service", "half_day", "status"), False),)

    db.create_tables([Appointment])

    class User(Model):
        centre = ForeignKeyField(Centre, null=True)
        role = CharField(index=True, max_length=10)
        username = CharField(unique=True, max_length=64)
        name = CharField()
        mobile = CharField(unique=True, null=True, max_length=11)
        password_hash = CharField()
        student = ForeignKeyField(Student, unique=True, null=True)
        active = BooleanField(default=True)
        created_at = DateTimeField()
        last_login_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "user"

    db.create_tables([User])

    class AuditEvent(Model):
        centre = ForeignKeyField(Centre, null=True)
        actor = ForeignKeyField(User, null=True)
        action = CharField(index=True, max_length=40)
        object_type = CharField(max_length=40, default="")
        object_id = CharField(max_length=64, default="")
        details = TextField(default="{}")
        ip = CharField(max_length=45, default="")
        created_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "audit_event"
            indexes = ((("object_type", "object_id"), False),)

    db.create_tables([AuditEvent])

    class ClosedDay(Model):
        season = ForeignKeyField(Season, on_delete="CASCADE")
        day = DateField()
        reason = CharField(default="")

        class Meta:
            database = db
            table_name = "closed_day"
            indexes = ((("season", "day"), True),)

    db.create_tables([ClosedDay])

    class DutyAssignment(Model):
        centre = ForeignKeyField(Centre)
        day = DateField()
        user = ForeignKeyField(User)
        duty = CharField(max_length=20, default="leader")
        note = CharField(default="")

        class Meta:
            database = db
            table_name = "duty_assignment"
            indexes = ((("centre", "day", "duty"), True),)

    db.create_tables([DutyAssignment])

    class IssuedDocument(Model):
        centre = ForeignKeyField(Centre)
        kind = CharField(max_length=20)
        student = ForeignKeyField(Student, null=True)
        application = ForeignKeyField(Application, null=True)
        number = CharField(unique=True, null=True, max_length=32)
        verification_code = CharField(null=True, max_length=16)
        checksum = CharField(max_length=64, default="")
        issued_by = ForeignKeyField(User, null=True)
        issued_at = DateTimeField()
        revoked_at = DateTimeField(null=True)
        revoked_reason = TextField(default="")

        class Meta:
            database = db
            table_name = "issued_document"

    db.create_tables([IssuedDocument])

    class LoginThrottle(Model):
        key = CharField(unique=True, max_length=128)
        failures = IntegerField(default=0)
        first_failure_at = DateTimeField()
        locked_until = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "login_throttle"

    db.create_tables([LoginThrottle])

    class PreRegistration(Model):
        centre = ForeignKeyField(Centre)
        uuid = UUIDField(unique=True)
        revision = IntegerField(default=1)
        student = ForeignKeyField(Student, null=True)
        id_number = CharField(index=True, max_length=18)
        name = CharField()
        mobile = CharField(max_length=11, default="")
        school = ForeignKeyField(School, null=True)
        class_name = CharField(default="")
        guardian_name = CharField(default="")
        guardian_relation = CharField(max_length=10, default="")
        guardian_mobile = CharField(max_length=11, default="")
        guardian_id_number = CharField(max_length=18, default="")
        category = IntegerField(default=0)
        intended_university = CharField(default="")
        intended_level = CharField(max_length=20, default="")
        notes = TextField(default="")
        status = CharField(index=True, max_length=20, default="accepted")
        captured_by = ForeignKeyField(User, null=True)
        device_id = CharField(max_length=64, default="")
        captured_at = DateTimeField(null=True)
        received_at = DateTimeField()

        class Meta:
            database = db
            table_name = "pre_registration"

    db.create_tables([PreRegistration])

    class ServiceQuota(Model):
        season = ForeignKeyField(Season, on_delete="CASCADE")
        service = CharField(max_length=20)
        half_day = CharField(max_length=10)
        places = IntegerField()

        class Meta:
            database = db
            table_name = "service_quota"
            indexes = ((("season", "service", "half_day"), True),)

    db.create_tables([ServiceQuota])

    class Ticket(Model):
        centre = ForeignKeyField(Centre)
        day = DateField()
        stream = CharField(max_length=2)
        number = IntegerField()
        service = CharField(max_length=20)
        appointment = ForeignKeyField(Appointment, null=True)
        student = ForeignKeyField(Student, null=True)
        status = CharField(max_length=12, default="waiting")
        window = IntegerField(null=True)
        green_channel = BooleanField(default=False)
        green_reason = CharField(default="")
        issued_at = DateTimeField()
        called_at = DateTimeField(null=True)
        finished_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "ticket"
            indexes = ((("centre", "day", "stream", "number"), True),)

    db.create_tables([Ticket])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("ticket"))
    migrator.migrate(migrator.drop_table("service_quota"))
    migrator.migrate(migrator.drop_table("pre_registration"))
    migrator.migrate(migrator.drop_table("login_throttle"))
    migrator.migrate(migrator.drop_table("issued_document"))
    migrator.migrate(migrator.drop_table("duty_assignment"))
    migrator.migrate(migrator.drop_table("closed_day"))
    migrator.migrate(migrator.drop_table("audit_event"))
    migrator.migrate(migrator.drop_table("user"))
    migrator.migrate(migrator.drop_table("appointment"))
    migrator.migrate(migrator.drop_table("application"))
    migrator.migrate(migrator.drop_table("guardian"))
    migrator.migrate(migrator.drop_table("student"))
    migrator.migrate(migrator.drop_table("school"))
    migrator.migrate(migrator.drop_table("season"))
    migrator.migrate(migrator.drop_table("centre"))
