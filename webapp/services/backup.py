"""A consistent copy of the live SQLite database, taken while the app keeps serving."""

import sqlite3
from datetime import datetime
from pathlib import Path

from webapp.db import database, is_sqlite


class BackupNotSupported(RuntimeError):
    pass


def backup_sqlite(destination_dir: str | Path) -> Path:
    """Copy the database with SQLite's online backup API; returns the new file's path."""
    if not is_sqlite():
        raise BackupNotSupported("Use pg_dump to back up a PostgreSQL database.")
    target_dir = Path(destination_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / f"studentloan-{datetime.now():%Y%m%d-%H%M%S}.sqlite3"
    source = database.connection()
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    return target
