"""The desk: calling order and walk-ins on tickets, materials ticked and who accepted an
application, and the incident log."""

from peewee import *


def up(migrator, db):
    class Centre(Model):
        class Meta:
            database = db
            table_name = "centre"

    class Student(Model):
        class Meta:
            database = db
            table_name = "student"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class Incident(Model):
        centre = ForeignKeyField(Centre)
        day = DateField(index=True)
        kind = CharField(max_length=20)
        description = TextField()
        student = ForeignKeyField(Student, null=True)
        reported_by = ForeignKeyField(User)
        created_at = DateTimeField()
        follow_up = TextField(default="")
        closed_by = ForeignKeyField(User, null=True)
        closed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "incident"

    db.create_tables([Incident])

    migrator.migrate(migrator.add_column("application", "materials_checked", CharField(default="")))
    migrator.migrate(
        migrator.add_column("application", "accepted_by_id", ForeignKeyField(User, field=User.id, null=True))
    )
    migrator.migrate(migrator.add_column("ticket", "walk_in", BooleanField(default=False)))
    migrator.migrate(migrator.add_column("ticket", "visitor_name", CharField(default="")))
    migrator.migrate(migrator.add_column("ticket", "visitor_id_number", CharField(max_length=18, default="")))
    migrator.migrate(migrator.add_column("ticket", "requeued", BooleanField(default=False)))
    migrator.migrate(migrator.add_column("ticket", "queued_at", DateTimeField(null=True)))
    migrator.migrate(
        migrator.add_column("ticket", "called_by_id", ForeignKeyField(User, field=User.id, null=True))
    )
    migrator.migrate(migrator.add_column("ticket", "served_at", DateTimeField(null=True)))
    migrator.migrate(migrator.add_index("ticket", ("centre_id", "day", "service", "status")))
    db.execute_sql("UPDATE ticket SET queued_at = issued_at WHERE queued_at IS NULL")


def down(migrator, db):
    migrator.migrate(migrator.drop_index("ticket", "ticket_centre_id_day_service_status"))
    migrator.migrate(migrator.drop_index("ticket", "ticket_called_by_id"))
    migrator.migrate(migrator.drop_index("application", "application_accepted_by_id"))
    migrator.migrate(migrator.drop_column("ticket", "served_at"))
    migrator.migrate(migrator.drop_column("ticket", "called_by_id"))
    migrator.migrate(migrator.drop_column("ticket", "queued_at"))
    migrator.migrate(migrator.drop_column("ticket", "requeued"))
    migrator.migrate(migrator.drop_column("ticket", "visitor_id_number"))
    migrator.migrate(migrator.drop_column("ticket", "visitor_name"))
    migrator.migrate(migrator.drop_column("ticket", "walk_in"))
    migrator.migrate(migrator.drop_column("application", "accepted_by_id"))
    migrator.migrate(migrator.drop_column("application", "materials_checked"))
    migrator.migrate(migrator.drop_table("incident"))
