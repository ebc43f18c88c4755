"""The suite's databases: SQLite always, PostgreSQL when TEST_DATABASE_URL names one, a database
per pytest-xdist worker, migrated once and emptied between tests."""

import os
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from playhouse.migrations import Runner

from webapp.config import PROJECT_ROOT
from webapp.db import open_database

MIGRATIONS = str(PROJECT_ROOT / "migrations")
# Under pytest-xdist each worker has its own PostgreSQL database: the URL's name plus the worker's.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_BASE_PG_URL = os.environ.get("TEST_DATABASE_URL")
PG_URL = (
    urlunsplit(
        urlsplit(_BASE_PG_URL)._replace(path=urlsplit(_BASE_PG_URL).path + (f"_{WORKER}" if WORKER else ""))
    )
    if _BASE_PG_URL
    else None
)
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def migrate(url):
    db = open_database(url)
    with db.connection_context():
        Runner(db, MIGRATIONS).up()
    db.close()


def _written_tables(cur):
    """The tables a test wrote to: those with a row, and those whose id sequence has moved (a
    row inserted and deleted, or a transaction rolled back, still moves it)."""
    cur.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> 'schema_migration'"
    )
    tables = [name for (name,) in cur.fetchall()]
    cur.execute("SELECT " + ", ".join(f'EXISTS (SELECT 1 FROM "{t}")' for t in tables))
    with_rows = {t for t, has_rows in zip(tables, cur.fetchone(), strict=True) if has_rows}
    cur.execute(
        """SELECT owner.relname FROM pg_sequences s
             JOIN pg_class seq ON seq.relname = s.sequencename AND seq.relkind = 'S'
             JOIN pg_depend d ON d.objid = seq.oid AND d.deptype = 'a'
             JOIN pg_class owner ON owner.oid = d.refobjid
            WHERE s.schemaname = current_schema() AND s.last_value IS NOT NULL
              AND owner.relname <> 'schema_migration'"""
    )
    return sorted(with_rows | {name for (name,) in cur.fetchall()})


def truncate_postgres(url):
    """Empty every table the last test wrote to and restart its ids: TRUNCATE costs per table,
    and most tests write to a few of the sixty."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        tables = _written_tables(cur)
        if tables:
            cur.execute("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(f'"{t}"' for t in tables)))
    conn.close()
