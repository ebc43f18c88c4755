"""The policy as it stands: each academic year's loan is its own contract, so a renewal that
carries an earlier year's contract number (copied when the renewal was started) loses it, with
an entry in the audit log, until this year's contract list or the window gives its own. New
columns: the one-loan-a-year declaration and 户籍所在地 on applications; whether postgraduates
apply here and the year's relief note on seasons."""

import json
from datetime import datetime, timezone

from peewee import BooleanField, CharField, TextField

ACTION = "renewal.copied_contract_cleared"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("application", "one_loan_declared", BooleanField(default=False)),
        migrator.add_column("application", "hukou_place", CharField(max_length=100, default="")),
        migrator.add_column("season", "postgraduates_here", BooleanField(default=True)),
        migrator.add_column("season", "relief_note", TextField(default="")),
    )
    p = db.param
    copied = db.execute_sql(
        "SELECT r.id, r.centre_id, r.contract_number FROM application r"
        " JOIN season s ON s.id = r.season_id"
        f" WHERE r.kind = {p} AND r.contract_number IS NOT NULL AND EXISTS ("
        "  SELECT 1 FROM application e JOIN season es ON es.id = e.season_id"
        "  WHERE e.student_id = r.student_id AND es.year < s.year"
        "  AND e.contract_number = r.contract_number)",
        ("renewal",),
    ).fetchall()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for application_id, centre_id, number in copied:
        db.execute_sql(f"UPDATE application SET contract_number = NULL WHERE id = {p}", (application_id,))
        db.execute_sql(
            "INSERT INTO audit_event (centre_id, actor_id, action, object_type, object_id, details, ip, created_at)"
            f" VALUES ({p}, NULL, {p}, {p}, {p}, {p}, {p}, {p})",
            (
                centre_id,
                ACTION,
                "Application",
                str(application_id),
                json.dumps({"contract_number": [number, None]}),
                "",
                now,
            ),
        )


def down(migrator, db):
    p = db.param
    cleared = db.execute_sql(
        f"SELECT object_id, details FROM audit_event WHERE action = {p}", (ACTION,)
    ).fetchall()
    for application_id, details in cleared:
        number = json.loads(details)["contract_number"][0]
        db.execute_sql(
            f"UPDATE application SET contract_number = {p} WHERE id = {p} AND contract_number IS NULL",
            (number, int(application_id)),
        )
    db.execute_sql(f"DELETE FROM audit_event WHERE action = {p}", (ACTION,))
    migrator.migrate(
        migrator.drop_column("application", "one_loan_declared"),
        migrator.drop_column("application", "hukou_place"),
        migrator.drop_column("season", "postgraduates_here"),
        migrator.drop_column("season", "relief_note"),
    )
