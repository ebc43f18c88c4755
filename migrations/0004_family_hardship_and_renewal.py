"""The family-hardship form filled online (family members, ticks, pledge), and the online
renewal declaration with the desk's decision."""

from peewee import *


def up(migrator, db):
    class Application(Model):
        class Meta:
            database = db
            table_name = "application"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class FamilyMember(Model):
        application = ForeignKeyField(Application, on_delete="CASCADE")
        position = IntegerField(default=0)
        name = CharField()
        age = IntegerField()
        relation = CharField(max_length=12)
        employer = CharField(default="")
        occupation = CharField(default="")
        annual_income = IntegerField(default=0)
        health = CharField(max_length=20, default="healthy")

        class Meta:
            database = db
            table_name = "family_member"
            indexes = ((("application", "position"), True),)

    db.create_tables([FamilyMember])

    migrator.migrate(migrator.add_column("application", "special_groups", CharField(default="")))
    migrator.migrate(migrator.add_column("application", "hardship_factors", CharField(default="")))
    migrator.migrate(migrator.add_column("application", "hardship_details", TextField(default="")))
    migrator.migrate(migrator.add_column("application", "pledge_signed_at", DateTimeField(null=True)))
    migrator.migrate(migrator.add_column("application", "year_of_study", IntegerField(null=True)))
    migrator.migrate(
        migrator.add_column("application", "study_progress", CharField(max_length=20, default=""))
    )
    migrator.migrate(
        migrator.add_column("application", "declared_mobile", CharField(max_length=11, default=""))
    )
    migrator.migrate(
        migrator.add_column(
            "application", "declared_co_borrower_mobile", CharField(max_length=11, default="")
        )
    )
    migrator.migrate(migrator.add_column("application", "contact_note", TextField(default="")))
    migrator.migrate(migrator.add_column("application", "needs_window", BooleanField(default=False)))
    migrator.migrate(
        migrator.add_column("application", "reviewed_by_id", ForeignKeyField(User, field=User.id, null=True))
    )
    migrator.migrate(migrator.add_column("application", "reviewed_at", DateTimeField(null=True)))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("application", "application_reviewed_by_id"))
    migrator.migrate(migrator.drop_column("application", "reviewed_at"))
    migrator.migrate(migrator.drop_column("application", "reviewed_by_id"))
    migrator.migrate(migrator.drop_column("application", "needs_window"))
    migrator.migrate(migrator.drop_column("application", "contact_note"))
    migrator.migrate(migrator.drop_column("application", "declared_co_borrower_mobile"))
    migrator.migrate(migrator.drop_column("application", "declared_mobile"))
    migrator.migrate(migrator.drop_column("application", "study_progress"))
    migrator.migrate(migrator.drop_column("application", "year_of_study"))
    migrator.migrate(migrator.drop_column("application", "pledge_signed_at"))
    migrator.migrate(migrator.drop_column("application", "hardship_details"))
    migrator.migrate(migrator.drop_column("application", "hardship_factors"))
    migrator.migrate(migrator.drop_column("application", "special_groups"))
    migrator.migrate(migrator.drop_table("family_member"))
