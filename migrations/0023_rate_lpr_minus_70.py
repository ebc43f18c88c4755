"""The rate of loans from the 2024 autumn semester is the over-5-year LPR minus 70 basis points
(财教〔2024〕188号); seasons from 2024 on that were created with the old −60 are corrected, each
with an entry in the audit log. A season whose admin set another figure keeps it."""

import json
from datetime import datetime, timezone

from peewee import *

OLD, NEW, FROM_YEAR = -60, -70, 2024
ACTION = "season.rate_corrected"


def up(migrator, db):
    p = db.param
    seasons = db.execute_sql(
        f"SELECT id, centre_id FROM season WHERE year >= {p} AND lpr_spread_bp = {p}", (FROM_YEAR, OLD)
    ).fetchall()
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for season_id, centre_id in seasons:
        db.execute_sql(f"UPDATE season SET lpr_spread_bp = {p} WHERE id = {p}", (NEW, season_id))
        db.execute_sql(
            "INSERT INTO audit_event (centre_id, actor_id, action, object_type, object_id, details, ip, created_at)"
            f" VALUES ({p}, NULL, {p}, {p}, {p}, {p}, {p}, {p})",
            (
                centre_id,
                ACTION,
                "Season",
                str(season_id),
                json.dumps({"lpr_spread_bp": [OLD, NEW], "source": "财教〔2024〕188号"}, ensure_ascii=False),
                "",
                now,
            ),
        )


def down(migrator, db):
    p = db.param
    corrected = db.execute_sql(
        f"SELECT object_id FROM audit_event WHERE action = {p} AND object_type = {p}", (ACTION, "Season")
    ).fetchall()
    for (season_id,) in corrected:
        db.execute_sql(
            f"UPDATE season SET lpr_spread_bp = {p} WHERE id = {p} AND lpr_spread_bp = {p}",
            (OLD, int(season_id), NEW),
        )
    db.execute_sql(f"DELETE FROM audit_event WHERE action = {p}", (ACTION,))
