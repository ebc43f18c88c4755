"""The one peewee database, bound per app from DATABASE_URL; SQLite or PostgreSQL."""
from flask import current_app, render_template
from peewee import DatabaseProxy
from playhouse.db_url import connect
from playhouse.migrations import Runner

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}


def open_database(url):
    """A peewee Database for a URL, with WAL and foreign keys on for SQLite.

    SQLite transactions begin IMMEDIATE: a writer waits for the lock (busy_timeout) instead of
    failing later when its read snapshot turns out to be stale.
    """
    if url.startswith("sqlite"):
        return connect(url, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE")
    return connect(url)


def lock_key(key):
    """Serialise transactions that work on the same key (e.g. an ID number) until commit.

    PostgreSQL takes a transaction-scoped advisory lock; SQLite already serialises writers.
    """
    if not is_sqlite():
        database.execute_sql("SELECT pg_advisory_xact_lock(hashtext(%s))", (key,))


def is_sqlite():
    return database.obj is not None and database.obj.__class__.__name__.startswith("Sqlite")


def migration_runner(app=None):
    app = app or current_app
    return Runner(database.obj, app.config["MIGRATIONS_DIR"])


def pending_migrations(app=None):
    """Names of migration files not yet applied to the bound database."""
    return [m.name for m in migration_runner(app).status() if not m.applied and m.path]


def init_app(app):
    database.initialize(open_database(app.config["DATABASE_URL"]))
    app.extensions["migrations_checked"] = not app.config["CHECK_MIGRATIONS"]

    @app.before_request
    def _connect():
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
