"""Resident ID numbers encrypted at rest (webapp/id_crypto.py): the number columns become text
holding AES-GCM ciphertext, a blind index column takes over look-ups and uniqueness, and the
student keeps the last four characters for the desk's search. Rows already stored are
encrypted here, under the keys of the app that runs `flask db upgrade`."""

from peewee import *

# table -> (encrypted columns, the column that gets a blind index)
TABLES = {
    "student": (("id_number",), "id_number"),
    "pre_registration": (("id_number", "guardian_id_number"), "id_number"),
    "roster_entry": (("id_number",), "id_number"),
    "guardian": (("id_number",), None),
    "ticket": (("visitor_id_number",), None),
}
OLD_INDEXES = {
    "student": ["student_id_number"],
    "pre_registration": ["preregistration_id_number"],
    "roster_entry": ["rosterentry_school_id_id_number", "rosterentry_id_number"],
}


def _encrypt_rows(db, table, columns, indexed, forward):
    from webapp import id_crypto

    selected = ", ".join(f'"{c}"' for c in columns)
    rows = db.execute_sql(f'SELECT "id", {selected} FROM "{table}"').fetchall()
    for row_id, *values in rows:
        if forward:
            new = [id_crypto.encrypt(v) for v in values]
            extra = {}
            if indexed:
                plain = values[columns.index(indexed)]
                extra["id_number_index"] = id_crypto.blind_index(plain)
                if table == "student":
                    extra["id_number_last4"] = (plain or "")[-4:].upper()
        else:
            new, extra = [id_crypto.decrypt(v) for v in values], {}
        assignments = [f'"{c}" = {db.param}' for c in [*columns, *extra]]
        db.execute_sql(
            f'UPDATE "{table}" SET {", ".join(assignments)} WHERE "id" = {db.param}',
            (*new, *extra.values(), row_id),
        )


def up(migrator, db):
    for table, indexes in OLD_INDEXES.items():
        migrator.migrate(*[migrator.drop_index(table, name) for name in indexes])
    for table, (columns, indexed) in TABLES.items():
        operations = [migrator.alter_column_type(table, c, TextField(default="")) for c in columns]
        if indexed:
            operations.append(
                migrator.add_column(table, "id_number_index", CharField(max_length=64, default=""))
            )
        if table == "student":
            operations.append(
                migrator.add_column(table, "id_number_last4", CharField(max_length=4, default=""))
            )
        migrator.migrate(*operations)
        _encrypt_rows(db, table, list(columns), indexed, forward=True)
    migrator.migrate(
        migrator.add_index("student", ("id_number_index",), True),
        migrator.add_index("student", ("id_number_last4",), False),
        migrator.add_index("pre_registration", ("id_number_index",), False),
        migrator.add_index("roster_entry", ("school_id", "id_number_index"), True),
        migrator.add_index("roster_entry", ("centre_id", "id_number_index"), False),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("student", "student_id_number_index"),
        migrator.drop_index("student", "student_id_number_last4"),
        migrator.drop_index("pre_registration", "pre_registration_id_number_index"),
        migrator.drop_index("roster_entry", "roster_entry_school_id_id_number_index"),
        migrator.drop_index("roster_entry", "roster_entry_centre_id_id_number_index"),
    )
    for table, (columns, indexed) in TABLES.items():
        _encrypt_rows(db, table, list(columns), indexed, forward=False)
        operations = [migrator.drop_column(table, "id_number_index")] if indexed else []
        if table == "student":
            operations.append(migrator.drop_column(table, "id_number_last4"))
        operations += [
            migrator.alter_column_type(table, c, CharField(max_length=18, default="")) for c in columns
        ]
        migrator.migrate(*operations)
    # the indexes as they were, under their own names
    for statement in (
        'CREATE UNIQUE INDEX "student_id_number" ON "student" ("id_number")',
        'CREATE INDEX "preregistration_id_number" ON "pre_registration" ("id_number")',
        'CREATE INDEX "rosterentry_id_number" ON "roster_entry" ("id_number")',
        'CREATE UNIQUE INDEX "rosterentry_school_id_id_number" ON "roster_entry" ("school_id", "id_number")',
    ):
        db.execute_sql(statement)
