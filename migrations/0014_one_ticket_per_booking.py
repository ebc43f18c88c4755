"""One ticket per booking: check-ins that arrived together could issue two. The later duplicates
keep their number but no longer point at the booking, then a unique index holds the rule."""

from peewee import *


def up(migrator, db):
    db.execute_sql(
        'UPDATE "ticket" SET "appointment_id" = NULL WHERE "appointment_id" IS NOT NULL AND "id" NOT IN '
        '(SELECT MIN("id") FROM "ticket" WHERE "appointment_id" IS NOT NULL GROUP BY "appointment_id")'
    )
    migrator.migrate(
        migrator.drop_index("ticket", "ticket_appointment_id"),
        migrator.add_index("ticket", ("appointment_id",), True),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("ticket", "ticket_appointment_id"),
        migrator.add_index("ticket", ("appointment_id",), False),
    )
