"""Secrets no longer kept at rest: the one-time codes of messages sent through a real SMS
provider are masked (the demo `log` backend's stay readable, as its page says); national lists
waiting for their column mapping, which held ID numbers in clear, are deleted (from now on they are
sealed, and gone within the hour); and audit entries about an account keep its id without the
sign-in key that came with it. Nothing of these comes back on the way down."""

import json

from peewee import *

MASKED = "******"


def up(migrator, db):
    p = db.param
    rows = db.execute_sql(
        f"SELECT id, params FROM message WHERE template = {p} AND provider <> {p}",
        ("verification_code", "log"),
    ).fetchall()
    for message_id, params in rows:
        kept = {**json.loads(params or "{}"), "code": MASKED}
        db.execute_sql(f"UPDATE message SET params = {p} WHERE id = {p}", (json.dumps(kept), message_id))
    db.execute_sql("DELETE FROM pending_upload")
    # audit entries about an account named it with its sign-in key ("id-key"): the id alone
    users = db.execute_sql(
        f"SELECT id, object_id FROM audit_event WHERE object_type = {p} AND object_id LIKE {p}",
        ("User", "%-%"),
    ).fetchall()
    for event_id, object_id in users:
        db.execute_sql(
            f"UPDATE audit_event SET object_id = {p} WHERE id = {p}", (object_id.split("-", 1)[0], event_id)
        )


def down(migrator, db):
    pass  # a masked code and a deleted upload stay so
