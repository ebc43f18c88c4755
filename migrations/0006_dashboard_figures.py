"""The dashboard reads a season in one pass per table: minutes at the desk and minutes in the
line kept on the records (filled in here for what is already there), and indexes that cover
those passes."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("application", "desk_minutes", IntegerField(null=True)))
    migrator.migrate(migrator.add_column("ticket", "wait_minutes", IntegerField(null=True)))
    migrator.migrate(migrator.add_index("application", ("centre_id", "accepted_at")))
    migrator.migrate(
        migrator.add_index(
            "application",
            (
                "season_id",
                "kind",
                "status",
                "needs_window",
                "accepted_at",
                "amount_requested",
                "desk_minutes",
            ),
        )
    )
    migrator.migrate(migrator.add_index("appointment", ("season_id", "day", "status")))
    migrator.migrate(migrator.add_index("ticket", ("centre_id", "day", "called_at", "wait_minutes")))
    if isinstance(db, PostgresqlDatabase):
        minutes = "ROUND(EXTRACT(EPOCH FROM ({later}) - ({earlier})) / 60)"
    else:
        minutes = "CAST(ROUND((julianday({later}) - julianday({earlier})) * 1440) AS INTEGER)"
    db.execute_sql(
        "UPDATE ticket SET wait_minutes = "
        + minutes.format(later="called_at", earlier="queued_at")
        + " WHERE called_at IS NOT NULL AND queued_at IS NOT NULL"
    )
    db.execute_sql(
        "UPDATE application SET desk_minutes = (SELECT "
        + minutes.format(later="application.accepted_at", earlier="t.issued_at")
        + " FROM ticket t JOIN appointment a ON t.appointment_id = a.id"
        " WHERE a.application_id = application.id ORDER BY t.issued_at DESC LIMIT 1)"
        " WHERE accepted_at IS NOT NULL"
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("ticket", "ticket_centre_id_day_called_at_wait_minutes"))
    migrator.migrate(migrator.drop_index("appointment", "appointment_season_id_day_status"))
    migrator.migrate(
        migrator.drop_index("application", "application_season_id_kind_status_needs_window_accepted__d258ce2")
    )
    migrator.migrate(migrator.drop_index("application", "application_centre_id_accepted_at"))
    migrator.migrate(migrator.drop_column("ticket", "wait_minutes"))
    migrator.migrate(migrator.drop_column("application", "desk_minutes"))
