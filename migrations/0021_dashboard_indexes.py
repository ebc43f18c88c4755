"""Indexes that cover the dashboard's reads of a season: its accepted applications by time (each
day's acceptances counted as a range) and by student (the amount per school, each student's school
from an index of its own), the pre-registrations kept in a year per school and category, and a
centre's recent messages."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("application", ("season_id", "status", "accepted_at"), False),
        migrator.add_index("application", ("season_id", "status", "student_id", "amount_requested"), False),
        migrator.add_index("student", ("id", "school_id"), False),
        migrator.add_index(
            "pre_registration", ("centre_id", "status", "received_at", "school_id", "category"), False
        ),
        migrator.add_index("message", ("centre_id", "created_at", "template", "state"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("message", "message_centre_id_created_at_template_state"),
        migrator.drop_index(
            "pre_registration", "pre_registration_centre_id_status_received_at_school_id_category"
        ),
        migrator.drop_index("student", "student_id_school_id"),
        migrator.drop_index("application", "application_season_id_status_student_id_amount_requested"),
        migrator.drop_index("application", "application_season_id_status_accepted_at"),
    )
