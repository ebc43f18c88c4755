"""Backups of the live database, taken while the app keeps serving, and the restore drill.

SQLite: a consistent copy through SQLite's online backup API. PostgreSQL: pg_dump in its custom
format (compressed, restored table by table with pg_restore). A restore goes only into an empty
database other than the live one, so a drill can never overwrite what is served.
"""

import shutil
import sqlite3
import subprocess
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from playhouse.db_url import connect

from webapp.db import database, is_sqlite


class BackupError(RuntimeError):
    pass


def _stamp() -> str:
    return f"{datetime.now():%Y%m%d-%H%M%S}"


def backup(database_url: str, destination_dir: str | Path) -> Path:
    """Write a backup of the bound database into destination_dir; returns the new file's path."""
    target_dir = Path(destination_dir)
    target_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if is_sqlite():
        return _backup_sqlite(target_dir / f"studentloan-{_stamp()}.sqlite3")
    return _backup_postgres(database_url, target_dir / f"studentloan-{_stamp()}.dump")


def _backup_sqlite(target: Path) -> Path:
    target.touch(mode=0o600)  # readable by its owner alone from the first byte, as pg_dump's copy
    target.chmod(0o600)
    source = database.connection()
    with sqlite3.connect(target) as copy:
        source.backup(copy)
    copy.close()
    return target


def libpq_url(database_url: str) -> str:
    """The same database as a URL pg_dump understands (peewee's scheme variants aside)."""
    parts = urlsplit(database_url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, ""))


def _pg_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(argv: list[str]) -> None:
    done = subprocess.run(argv, capture_output=True, text=True, check=False)  # noqa: S603 (our own argv)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed: {done.stderr.strip()[-2000:]}")


def _backup_postgres(database_url: str, target: Path) -> Path:
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={target}",
            f"--dbname={libpq_url(database_url)}",
        ]
    )
    target.chmod(0o600)
    return target


def restore_postgres(dump: str | Path, target_url: str, live_url: str) -> dict[str, int]:
    """Restore a pg_dump file into the empty database at target_url; returns its row counts."""
    if libpq_url(target_url) == libpq_url(live_url):
        raise BackupError("Restore into a scratch database, not the one the app serves.")
    if not Path(dump).is_file():
        raise BackupError(f"No backup file at {dump}.")
    if row_counts(target_url):
        raise BackupError("The target database already has tables: restore into an empty one.")
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={libpq_url(target_url)}",
            str(dump),
        ]
    )
    return row_counts(target_url)


def row_counts(database_url: str) -> dict[str, int]:
    """Rows in every table of a database: what a drill compares on both sides."""
    db = connect(database_url)
    try:
        with db.connection_context():
            return {
                table: db.execute_sql(f'SELECT count(*) FROM "{table}"').fetchone()[0]
                for table in db.get_tables()
            }
    finally:
        db.close()
