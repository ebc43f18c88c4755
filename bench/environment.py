"""What every benchmark starts from: a fresh migrated database, a centre with two schools and
an outreach worker, signed in through the real login form, as the tests do it."""

import base64
import logging
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import psycopg2
from flask import Flask
from playhouse.migrations import Runner
from werkzeug.serving import make_server

from tests.factories import PASSWORD, make_centre, make_school, make_user
from tests.http_helpers import csrf_token
from webapp import create_app
from webapp.config import PROJECT_ROOT
from webapp.db import database, open_database

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
PG_BENCH_DB = "studentloan_bench"
MIGRATIONS = str(PROJECT_ROOT / "migrations")
SCHOOLS = ("右玉县第一中学", "右玉县职业中学")


def postgres_answers():
    """True when a PostgreSQL server listens where `make test` expects one."""
    try:
        socket.create_connection(("127.0.0.1", 5432), 2).close()
    except OSError:
        return False
    return True


def postgres_version():
    with psycopg2.connect(PG_SERVER + "/postgres") as conn, conn.cursor() as cur:
        cur.execute("SHOW server_version")
        return cur.fetchone()[0]


def recreate_postgres(name=PG_BENCH_DB):
    """An empty database of that name on the local server, dropped first if it was there."""
    admin = psycopg2.connect(PG_SERVER + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    admin.close()


@dataclass
class Site:
    """A seeded app: the outreach worker's username and the ids of the two schools."""

    app: Flask
    username: str
    school_ids: list


# The ID-number keys every process of a benchmark shares (the seeding app and gunicorn's
# workers), as a deployment's processes share theirs.
ID_NUMBER_KEYS = {
    "ID_NUMBER_KEYS": "k1=" + base64.urlsafe_b64encode(b"bench-id-number-encryption-key!!").decode(),
    "ID_NUMBER_INDEX_KEY": base64.urlsafe_b64encode(b"bench-id-number-blind-index-key!").decode(),
}


def migrated_app(url, instance):
    """The app on the database at url, migrated to the newest schema, cookies allowed on plain
    HTTP (the benchmarks talk to it over loopback)."""
    db = open_database(url)
    with db.connection_context():
        Runner(db, MIGRATIONS).up()
    db.close()
    return create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": instance,
            "SECRET_KEY": "bench",
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            **ID_NUMBER_KEYS,
        }
    )


@contextmanager
def seeded_app(kind):
    """An app on an empty, migrated database ("sqlite": a file in a temp dir; "postgresql":
    studentloan_bench, dropped and created again), so no measurement inherits another's rows."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if kind == "sqlite":
            url = f"sqlite:///{tmp}/bench.sqlite3"
        else:
            recreate_postgres()
            url = f"{PG_SERVER}/{PG_BENCH_DB}"
        app = migrated_app(url, f"{tmp}/instance")
        with app.app_context():
            centre = make_centre()
            schools = [make_school(centre, name=name).id for name in SCHOOLS]
            user = make_user(centre, role="outreach")
        try:
            yield Site(app, user.username, schools)
        finally:
            if not database.is_closed():
                database.close()


def signed_in_client(site):
    """Flask's test client after a real sign-in (the form's CSRF token included)."""
    client = site.app.test_client()
    response = client.post(
        "/login",
        data={"identifier": site.username, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")},
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in failed with {response.status_code}")
    return client


class LiveServer:
    """The app over real HTTP in a thread; stop() also closes the listening socket, so that a
    browser then meets a refused connection rather than a request nobody answers."""

    def __init__(self, app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self):
        if self._thread.is_alive():
            self._server.shutdown()
            self._thread.join(5)
            self._server.server_close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def browser_sign_in(page, base_url, username, password):
    """Sign in through the real form, as a person would."""
    page.goto(base_url + "/login")
    page.fill("#identifier", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form button[type=submit]:not(.small)")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_process(database_url, workers=2, threads=4, timeout=30, **settings):
    """The app served by gunicorn in its own processes, as in production; yields the base URL
    and the gunicorn process. settings: more environment for the app (REDIS_URL=...)."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="bench",
        SESSION_COOKIE_SECURE="false",
        **ID_NUMBER_KEYS,
        **settings,
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--threads", str(threads),
         "--timeout", str(timeout), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(150):
            try:
                urllib.request.urlopen(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def gunicorn(database_url, workers=2, threads=4, **settings):
    """gunicorn_process(), when only the base URL matters."""
    with gunicorn_process(database_url, workers, threads, **settings) as (base, _server):
        yield base


def get_times(client, path, runs):
    """Milliseconds of each of runs GETs of path, after one warm-up (connection, templates)."""
    client.get(path)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    return times


def http_sign_in(base, identifier, password=PASSWORD):
    """A urllib opener signed in through the real form, and its session cookie's value."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    opener.open(
        base + "/login",
        data=urlencode({"identifier": identifier, "password": password, "csrf_token": token}).encode(),
    )
    return opener, next(c.value for c in jar if c.name == "session")
