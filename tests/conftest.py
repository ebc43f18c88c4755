"""Fixtures: an app per test on a clean database, SQLite always and PostgreSQL when available."""

import contextlib
import os
import shutil
from urllib.parse import urlparse

import psycopg2
import pytest

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.databases import DATABASES, PG_URL, WORKER, migrate, truncate_postgres
from tests.http_helpers import LiveServer, csrf_token
from webapp import create_app
from webapp.config import PROJECT_ROOT
from webapp.db import database
from webapp.services.identity import passwords

# the SMS providers' local stand-in (the provider fixture), for every test module
pytest_plugins = ["tests.sms_helpers"]

TESTS = PROJECT_ROOT / "tests"
BACKGROUND_NICENESS = 10


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
    migrate(f"sqlite:///{path}")
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
    migrate(PG_URL)
    return PG_URL


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path):
    """A clean, migrated database for one test."""
    if request.param == "sqlite":
        path = tmp_path / "test.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    truncate_postgres(url)
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


@pytest.fixture
def live_server(app):
    with LiveServer(app) as server:
        yield server


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
