"""The deployment kit on this machine (`make deploy-smoke`): two gunicorn instances behind one
nginx with the project's own site configuration, on a scratch PostgreSQL database migrated with
the project's migrations. Skipped only when nginx or PostgreSQL is missing."""

import os
import socket
import time
from types import SimpleNamespace
from urllib.parse import urlparse

import psycopg2
import pytest
from playhouse.migrations import Runner

from tests.factories import make_appointment, make_centre, make_season, make_student, make_user
from tests.stack import SECRETS, nginx_binary, stack
from webapp import create_app
from webapp.clock import local_today
from webapp.config import PROJECT_ROOT
from webapp.db import database, open_database
from webapp.services.desk import tickets

PG_SERVER = "postgresql://postgres@127.0.0.1:5432"
SCRATCH_DB = "studentloan_deploy_smoke"
# Low, so that the test reaches the address's lock in a few tries: an account pauses after
# 2 failures, an address (10 × that) after 20.
LOGIN_MAX_FAILURES = 2


def _server():
    """The PostgreSQL server the suite uses (TEST_DATABASE_URL's), without its database."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        parsed = urlparse(url)
        return url.replace(parsed.path, "") if parsed.path else url
    return PG_SERVER


def _postgres_answers(url):
    parsed = urlparse(url)
    try:
        socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 5432), 2).close()
    except OSError:
        return False
    return True


def _skip_reason():
    if nginx_binary() is None:
        return "nginx is not installed (make system-test installs it)"
    if not _postgres_answers(_server()):
        return f"no PostgreSQL answers at {_server()}"
    return None


def _scratch_database():
    admin = psycopg2.connect(_server() + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    admin.close()
    url = f"{_server()}/{SCRATCH_DB}"
    db = open_database(url)
    with db.connection_context():
        Runner(db, str(PROJECT_ROOT / "migrations")).up()
    db.close()
    return url


METRICS_TOKEN = "smoke-scraper"


@pytest.fixture(scope="session")
def deployment(tmp_path_factory):
    """The stack and who is in it: a centre with this season, two desk clerks (one at a window,
    one watching the waiting-room screen) and students booked for today and checked in, their
    tickets A001, A002, ... in line."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    url = _scratch_database()
    app = create_app(
        {
            "DATABASE_URL": url,
            "INSTANCE_PATH": str(tmp_path_factory.mktemp("instance")),
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            **SECRETS,
        }
    )
    with app.app_context(), app.test_request_context():
        today = local_today()
        centre = make_centre()
        season = make_season(centre, year=today.year)
        students = [make_student(centre, name=name) for name in ("林小雨", "王大山", "赵小月", "钱多多")]
        students += [make_student(centre, name=f"排队{n}") for n in range(8)]
        for student in students:
            tickets.issue_ticket(make_appointment(student, season, today), today)
        people = SimpleNamespace(
            student=SimpleNamespace(id_number=students[0].id_number, name=students[0].name),
            clerk=make_user(centre, role="desk").username,
            watcher=make_user(centre, role="desk").username,
            hopper=make_user(centre, role="desk").username,
            throttled=make_user(centre, role="desk").username,
        )
    if not database.is_closed():
        database.close()
    settings = {"LOGIN_MAX_FAILURES": str(LOGIN_MAX_FAILURES), "METRICS_TOKEN": METRICS_TOKEN}
    with stack(url, instances=2, workers=2, env=settings) as running:
        yield SimpleNamespace(
            stack=running, people=people, url=running.url, database_url=url, stack_root=PROJECT_ROOT
        )


def query(deployment, sql, params=()):
    """Rows straight from the scratch database, as the instances wrote them."""
    with psycopg2.connect(deployment.database_url) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    conn.close()
    return rows


class Upstreams:
    """Which instance answered each response a page received (nginx's X-Upstream header)."""

    def __init__(self, page):
        self.seen = []
        page.on("response", self._record)

    def _record(self, response):
        upstream = response.headers.get("x-upstream")
        if upstream:
            self.seen.append((time.monotonic(), response.request.method, response.url, upstream))

    def of(self, fragment, since=0.0):
        return [(at, upstream) for at, _method, url, upstream in self.seen if fragment in url and at >= since]
