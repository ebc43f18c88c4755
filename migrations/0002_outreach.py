"""Offline outreach: rosters, school visits, and review fields on pre-registrations."""

from peewee import *


def up(migrator, db):
    class Centre(Model):
        class Meta:
            database = db
            table_name = "centre"

    class PreRegistration(Model):
        class Meta:
            database = db
            table_name = "pre_registration"

    class School(Model):
        class Meta:
            database = db
            table_name = "school"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class RosterImport(Model):
        centre = ForeignKeyField(Centre)
        school = ForeignKeyField(School)
        filename = CharField(default="")
        rows = IntegerField(default=0)
        imported_by = ForeignKeyField(User, null=True)
        imported_at = DateTimeField()

        class Meta:
            database = db
            table_name = "roster_import"

    db.create_tables([RosterImport])

    class RosterEntry(Model):
        centre = ForeignKeyField(Centre)
        school = ForeignKeyField(School)
        roster_import = ForeignKeyField(RosterImport, null=True, on_delete="SET NULL")
        id_number = CharField(index=True, max_length=18)
        name = CharField()
        class_name = CharField(default="")
        mobile = CharField(max_length=11, default="")

        class Meta:
            database = db
            table_name = "roster_entry"
            indexes = ((("school", "id_number"), True),)

    db.create_tables([RosterEntry])

    class SchoolVisit(Model):
        centre = ForeignKeyField(Centre)
        uuid = UUIDField(unique=True)
        revision = IntegerField(default=1)
        school = ForeignKeyField(School)
        visited_on = DateField()
        leaflets = IntegerField(default=0)
        students_reached = IntegerField(default=0)
        notes = TextField(default="")
        captured_by = ForeignKeyField(User, null=True)
        device_id = CharField(max_length=64, default="")
        captured_at = DateTimeField(null=True)
        received_at = DateTimeField()

        class Meta:
            database = db
            table_name = "school_visit"

    db.create_tables([SchoolVisit])

    migrator.migrate(migrator.add_column("pre_registration", "updated_at", DateTimeField(null=True)))
    db.execute_sql("UPDATE pre_registration SET updated_at = received_at")
    migrator.migrate(migrator.add_not_null("pre_registration", "updated_at"))
    migrator.migrate(migrator.add_column("pre_registration", "invalid_payload", TextField(default="")))
    migrator.migrate(migrator.add_column("pre_registration", "field_errors", TextField(default="")))
    migrator.migrate(migrator.add_column("pre_registration", "invalid_revision", IntegerField(null=True)))
    migrator.migrate(
        migrator.add_column(
            "pre_registration",
            "duplicate_of_id",
            ForeignKeyField(PreRegistration, field=PreRegistration.id, null=True),
        )
    )
    migrator.migrate(
        migrator.add_column(
            "pre_registration", "reviewed_by_id", ForeignKeyField(User, field=User.id, null=True)
        )
    )
    migrator.migrate(migrator.add_column("pre_registration", "reviewed_at", DateTimeField(null=True)))
    migrator.migrate(migrator.add_column("pre_registration", "review_note", TextField(default="")))
    migrator.migrate(
        migrator.add_column(
            "pre_registration",
            "roster_entry_id",
            ForeignKeyField(RosterEntry, field=RosterEntry.id, null=True),
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("pre_registration", "pre_registration_roster_entry_id"))
    migrator.migrate(migrator.drop_index("pre_registration", "pre_registration_reviewed_by_id"))
    migrator.migrate(migrator.drop_index("pre_registration", "pre_registration_duplicate_of_id"))
    migrator.migrate(migrator.drop_column("pre_registration", "roster_entry_id"))
    migrator.migrate(migrator.drop_column("pre_registration", "review_note"))
    migrator.migrate(migrator.drop_column("pre_registration", "reviewed_at"))
    migrator.migrate(migrator.drop_column("pre_registration", "reviewed_by_id"))
    migrator.migrate(migrator.drop_column("pre_registration", "duplicate_of_id"))
    migrator.migrate(migrator.drop_column("pre_registration", "invalid_revision"))
    migrator.migrate(migrator.drop_column("pre_registration", "field_errors"))
    migrator.migrate(migrator.drop_column("pre_registration", "invalid_payload"))
    migrator.migrate(migrator.drop_column("pre_registration", "updated_at"))
    migrator.migrate(migrator.drop_table("school_visit"))
    migrator.migrate(migrator.drop_table("roster_entry"))
    migrator.migrate(migrator.drop_table("roster_import"))
