"""Rules for real applicants: the season's age rules and whether papers may follow, the
relation "legal guardian", contract numbers unique in a season (empty ones become NULL),
a first loan for a new stage of study, a centre chosen against the ID number's region,
papers owed after acceptance, and papers received with the contract on a return visit."""

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

    class OwedMaterial(Model):
        application = ForeignKeyField(Application, on_delete="CASCADE")
        material = CharField(max_length=32)
        due_on = DateField()
        recorded_by = ForeignKeyField(User)
        recorded_at = DateTimeField()
        received_at = DateTimeField(null=True)
        received_by = ForeignKeyField(User, null=True)

        class Meta:
            database = db
            table_name = "owed_material"
            indexes = ((("application", "material"), True),)

    db.create_tables([OwedMaterial])

    for name, default in (
        ("student_min_age", 15),
        ("student_max_age", 45),
        ("co_borrower_min_age", 18),
        ("other_co_borrower_min_age", 22),
        ("other_co_borrower_max_age", 60),
    ):
        migrator.migrate(migrator.add_column("season", name, IntegerField(default=default)))
    migrator.migrate(migrator.add_column("season", "papers_to_follow", BooleanField(default=True)))
    migrator.migrate(migrator.add_column("student", "household_to_check", BooleanField(default=False)))
    migrator.migrate(migrator.add_column("appointment", "return_visit", BooleanField(default=False)))
    migrator.migrate(migrator.add_column("application", "new_stage", CharField(max_length=24, default="")))
    migrator.migrate(migrator.add_column("application", "papers_received_at", DateTimeField(null=True)))
    migrator.migrate(
        migrator.add_column(
            "application", "papers_received_by_id", ForeignKeyField(User, field=User.id, null=True)
        )
    )
    migrator.migrate(migrator.drop_not_null("application", "contract_number"))
    db.execute_sql("UPDATE application SET contract_number = NULL WHERE contract_number = ''")
    migrator.migrate(migrator.add_index("application", ("season_id", "contract_number"), unique=True))


def down(migrator, db):
    migrator.migrate(migrator.drop_index("application", "application_season_id_contract_number"))
    db.execute_sql("UPDATE application SET contract_number = '' WHERE contract_number IS NULL")
    migrator.migrate(migrator.add_not_null("application", "contract_number"))
    migrator.migrate(migrator.drop_index("application", "application_papers_received_by_id"))
    for column in ("papers_received_by_id", "papers_received_at", "new_stage"):
        migrator.migrate(migrator.drop_column("application", column))
    migrator.migrate(migrator.drop_column("appointment", "return_visit"))
    migrator.migrate(migrator.drop_column("student", "household_to_check"))
    for name in (
        "papers_to_follow",
        "other_co_borrower_max_age",
        "other_co_borrower_min_age",
        "co_borrower_min_age",
        "student_max_age",
        "student_min_age",
    ):
        migrator.migrate(migrator.drop_column("season", name))
    migrator.migrate(migrator.drop_table("owed_material"))
