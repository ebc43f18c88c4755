"""The one peewee database, bound per app from DATABASE_URL; SQLite or PostgreSQL."""

import os
from pathlib import Path

from flask import current_app, render_template, request
from peewee import DatabaseProxy
from playhouse.db_url import connect
from playhouse.migrations import Runner
from psycopg2.extras import execute_values

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


def open_database(url, pool_size=0):
    """A peewee Database for a URL, with WAL and foreign keys on for SQLite.

    SQLite transactions begin IMMEDIATE: a writer waits for the lock (busy_timeout) instead of
    failing later when its read snapshot turns out to be stale.

    PostgreSQL with pool_size: each process keeps up to that many connections open and lends
    one to each request (peewee's pool), instead of a new connection per request, which costs
    more than answering a phone's poll. Pooled connections are in autocommit mode between
    transactions, so an idle one holds no lock.
    """
    if url.startswith("sqlite"):
        database_file = url.split(":///", 1)[-1]
        if database_file and database_file != ":memory:":
            _private_file(Path(database_file))
        return connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    scheme, rest = url.split("://", 1)
    if pool_size and scheme in ("postgres", "postgresql"):
        return connect(f"{scheme}+pool://{rest}", max_connections=pool_size, stale_timeout=300, timeout=30)
    return connect(url)


def _private_file(path):
    """The database file readable by its owner alone (0600); SQLite gives its -wal and -shm
    files the same mode."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    path.chmod(0o600)


SQLITE_MAX_VARIABLES = 32766


def insert_rows(table, columns, rows, returning=()):
    """Insert many rows with one statement on PostgreSQL, one prepared statement on SQLite.

    With returning (column names), the inserted rows' values of those columns come back, so
    that nothing needs to be read again to learn the new ids.
    """
    if not rows:
        return []
    names = _quoted(columns)
    back = f" RETURNING {_quoted(returning)}" if returning else ""
    cursor = database.cursor()
    if not is_sqlite():
        sql = f'INSERT INTO "{table}" ({names}) VALUES %s{back}'
        return execute_values(cursor, sql, rows, page_size=500, fetch=bool(returning)) or []
    marks = "(" + ", ".join("?" * len(columns)) + ")"
    if not returning:
        cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES {marks}', rows)
        return []
    returned, step = [], SQLITE_MAX_VARIABLES // len(columns)
    for start in range(0, len(rows), step):
        chunk = rows[start : start + step]
        values = ", ".join([marks] * len(chunk))
        cursor.execute(
            f'INSERT INTO "{table}" ({names}) VALUES {values}{back}',
            [value for row in chunk for value in row],
        )
        returned += cursor.fetchall()
    return returned


def _quoted(names):
    return ", ".join(f'"{name}"' for name in names)


def lock_keys(keys):
    """Serialise transactions that work on the same keys (UUIDs, ID numbers) until commit.

    PostgreSQL takes transaction-scoped advisory locks, in sorted order so that two batches
    cannot deadlock; SQLite transactions begin IMMEDIATE and so already run one at a time.
    """
    if is_sqlite() or not keys:
        return
    database.execute_sql(
        "SELECT pg_advisory_xact_lock(hashtext(k)) FROM (SELECT unnest(%s::text[]) AS k ORDER BY k) AS keys",
        (sorted(keys),),
    )


def is_sqlite():
    return database.obj is not None and database.obj.__class__.__name__.startswith("Sqlite")


def migration_runner(app=None):
    app = app or current_app
    return Runner(database.obj, app.config["MIGRATIONS_DIR"])


def pending_migrations(app=None):
    """Names of migration files not yet applied to the bound database."""
    return [m.name for m in migration_runner(app).status() if not m.applied and m.path]


def without_database(view):
    """A view that answers without the request's connection and migration check: /healthz says
    the process is alive even when the database is not, and /readyz checks it itself."""
    view.without_database = True
    return view


def init_app(app):
    database.initialize(open_database(app.config["DATABASE_URL"], app.config["DATABASE_POOL_SIZE"]))
    app.extensions["migrations_checked"] = not app.config["CHECK_MIGRATIONS"]

    @app.before_request
    def _connect():
        if getattr(app.view_functions.get(request.endpoint), "without_database", False):
            return None
        database.connect(reuse_if_open=True)
        if not app.extensions["migrations_checked"]:
            pending = pending_migrations(app)
            if pending:
                return render_template("errors/migrations.html", pending=pending), 503
            app.extensions["migrations_checked"] = True
        return None

    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed():
            database.close()
