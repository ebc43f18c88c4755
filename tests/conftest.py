"""Fixtures: an app per test on a clean database, SQLite always and PostgreSQL when available."""

import contextlib
import json
import os
import re
import shutil
import threading
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode, urlparse, urlsplit, urlunsplit

import psycopg2
import pytest
from playhouse.migrations import Runner
from werkzeug.serving import make_server

from tests.factories import PASSWORD
from webapp import create_app
from webapp.config import PROJECT_ROOT
from webapp.db import database, open_database
from webapp.models import Message
from webapp.services import passwords

# the SMS providers' local stand-in (the provider fixture), for every test module
pytest_plugins = ["tests.sms_helpers"]

MIGRATIONS = str(PROJECT_ROOT / "migrations")
TESTS = PROJECT_ROOT / "tests"
BACKGROUND_NICENESS = 10
# Headless Chromium (Debian's package), closed off from the network; one for the whole run, shared
# by tests/browser/ and tests/deploy/ (Playwright's sync API runs one instance at a time).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
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


def _migrate(url):
    db = open_database(url)
    with db.connection_context():
        Runner(db, MIGRATIONS).up()
    db.close()


# The tests that drive Chromium or measure time run in one foreground lane: one worker, one
# browser at a time (two browsers at once on two cores miss the service worker's 3 s limit), and
# the deployment's stack started once.
FOREGROUND_LANE = "foreground"


def _lane(item):
    if item.path.relative_to(TESTS).parts[0] in ("browser", "deploy") or item.get_closest_marker("timed"):
        return FOREGROUND_LANE
    return None


@pytest.hookimpl(tryfirst=True)  # before xdist reads the groups
def pytest_collection_modifyitems(items):
    """Under pytest-xdist (`--dist loadgroup`, as `make test` runs it) the foreground lane runs on
    one worker, one test after another."""
    for item in items:
        lane = _lane(item)
        if lane:
            item.add_marker(pytest.mark.xdist_group(lane))


_runs_foreground = False


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Under xdist, the workers without a foreground lane yield the processor to those with one: a page
    waits on its live server against the product's own time limits (the service worker gives the
    network 3 s), and a measured time, which a busy machine would otherwise make the test miss. Raising a process's
    niceness needs no privilege; lowering it again, for a worker whose first tests were not a
    browser's, only root may, and elsewhere the browser tests run at the niceness they find."""
    global _runs_foreground
    if not WORKER:
        return
    if item.get_closest_marker("xdist_group"):
        if not _runs_foreground:
            _runs_foreground = True
            with contextlib.suppress(PermissionError):
                os.setpriority(os.PRIO_PROCESS, 0, 0)
    elif not _runs_foreground and os.getpriority(os.PRIO_PROCESS, 0) < BACKGROUND_NICENESS:
        os.setpriority(os.PRIO_PROCESS, 0, BACKGROUND_NICENESS)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """One migrated SQLite file; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    _migrate(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def postgres_url():
    """A freshly created, migrated PostgreSQL database for this run (for this worker)."""
    parsed = urlparse(PG_URL)
    name = parsed.path.lstrip("/")
    admin = psycopg2.connect(PG_URL.replace(parsed.path, "/postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    _migrate(PG_URL)
    return PG_URL


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


def _truncate_postgres(url):
    """Empty every table the last test wrote to and restart its ids: TRUNCATE costs per table,
    and most tests write to a few of the sixty."""
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        tables = _written_tables(cur)
        if tables:
            cur.execute("TRUNCATE {} RESTART IDENTITY CASCADE".format(", ".join(f'"{t}"' for t in tables)))
    conn.close()


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    """A clean, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "SECRET_KEY": "test-secret",
            "PASSWORD_HASH_PROFILE": "CHEAPEST",  # tests/test_passwords.py proves the servers' own
            # A waiting-room screen's stream of calls ends after a second (25 s on a server): a
            # page walk that opens it does not wait, and a screen reconnects as it always does.
            "SCREEN_STREAM_SECONDS": 1,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
        }
    )
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def production_password_cost(app):
    """Argon2 at a server's cost for one test (the suite's apps hash at the cheapest), for
    what is measured in time."""
    passwords.use_profile(passwords.PRODUCTION_PROFILE)
    yield
    passwords.use_profile(app.config["PASSWORD_HASH_PROFILE"])


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(client, path):
    """The CSRF token a real browser would send back from the form at path."""
    html = client.get(path, follow_redirects=True).get_data(as_text=True)
    match = CSRF_RE.search(html)
    assert match, f"no CSRF token on {path}"
    return match.group(1) or match.group(2)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, identifier, password="secret-pass", follow_redirects=False):
        token = csrf_token(self._client, "/login")
        return self._client.post(
            "/login",
            data={"identifier": identifier, "password": password, "csrf_token": token},
            follow_redirects=follow_redirects,
        )

    def logout(self):
        # any signed-in page but the offline capture form, whose cached copy carries no token
        token = csrf_token(self._client, "/account/sessions")
        return self._client.post("/logout", data={"csrf_token": token})


@pytest.fixture
def auth(client):
    return AuthActions(client)


def signed_in_opener(base_url, identifier, password=PASSWORD):
    """A urllib opener with its own cookie jar, signed in over real HTTP (for many concurrent
    users against a live server)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    opener.open(
        base_url + "/login",
        data=urlencode(
            {
                "identifier": identifier,
                "password": password,
                "csrf_token": page_token(opener, base_url + "/login"),
            }
        ).encode(),
    )
    return opener


def page_token(opener, url):
    """The CSRF token of the form on the page at url."""
    match = CSRF_RE.search(opener.open(url).read().decode())
    assert match, f"no CSRF token on {url}"
    return match.group(1) or match.group(2)


class LiveServer:
    """The app served over real HTTP in a background thread."""

    def __init__(self, app, port=0):
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


def code_sent_to(mobile):
    """The last one-time code the log backend kept for a number: what the student reads."""
    message = Message.select().where(Message.to_mobile == mobile).order_by(Message.id.desc()).first()
    return json.loads(message.params).get("code", "") if message else ""


def sign_up(client, **data):
    """A student's sign-up as the page makes it: ask for the code, then send the form with it."""
    token = csrf_token(client, "/signup")
    client.post("/signup", data={**data, "send_code": "1", "csrf_token": token})
    return client.post("/signup", data={**data, "code": code_sent_to(data["mobile"]), "csrf_token": token})


@pytest.fixture(scope="session")
def playwright():
    # imported here, so that a benchmark's child process that borrows this module's helpers
    # does not carry Playwright in the memory it measures
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
