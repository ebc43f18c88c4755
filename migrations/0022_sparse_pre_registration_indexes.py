"""A pre-registration is written with thirteen indexes to update; four of them cost a sync batch
for nothing. Who sent a record for someone else, who reviewed it and what it duplicates are empty
on almost every record: their indexes now hold only the rows that have them (a look-up by value
still uses them). The centre's own index is the first column of the dashboard's (migration 0021)."""

from peewee import SQL

SPARSE = ("sent_by_id", "reviewed_by_id", "duplicate_of_id")


def up(migrator, db):
    migrator.migrate(
        migrator.drop_index("pre_registration", "preregistration_centre_id"),
        *[migrator.drop_index("pre_registration", f"pre_registration_{column}") for column in SPARSE],
        *[
            migrator.add_index("pre_registration", (column,), False, where=SQL(f'"{column}" IS NOT NULL'))
            for column in SPARSE
        ],
    )


def down(migrator, db):
    migrator.migrate(
        *[migrator.drop_index("pre_registration", f"pre_registration_{column}") for column in SPARSE],
        *[migrator.add_index("pre_registration", (column,), False) for column in SPARSE],
        migrator.add_index("pre_registration", ("centre_id",), False, name="preregistration_centre_id"),
    )
