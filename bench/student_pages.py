"""Student pages on cheap phones: the queue-position endpoint under load from a second process
(wrk against gunicorn with 2 workers), next to a trivial endpoint measured in the same run; and
the weight of a student page on first load and afterwards."""
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import urlencode

from playhouse.migrations import Runner

from tests.factories import PASSWORD, make_centre, make_season, make_student
from webapp import create_app
from webapp.clock import local_today
from webapp.config import PROJECT_ROOT
from webapp.db import database, open_database
from webapp.models import Appointment, Ticket

from .report import Check, Section

TARGET_RPS = 500
FIRST_LOAD_LIMIT = 100_000
LATER_LOAD_LIMIT = 20_000
DURATION = "10s"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _seed(url, instance):
    """A student with a booking today and ticket A001, one ticket ahead of them."""
    db = open_database(url)
    with db.connection_context():
        Runner(db, str(PROJECT_ROOT / "migrations")).up()
    db.close()
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": instance, "SECRET_KEY": "bench"})
    with app.app_context():
        today = local_today()
        centre = make_centre()
        season = make_season(centre, year=today.year)
        ahead, student = make_student(centre, name="前面"), make_student(centre, name="排队")
        for number, person in enumerate((ahead, student), start=1):
            booking = Appointment.create(centre=centre, season=season, student=person,
                                         service="first_loan", day=today,
                                         half_day="morning", code=f"W{number:05d}",
                                         status="checked_in")
            Ticket.create(centre=centre, day=today, stream="A", number=number,
                          service="first_loan", appointment=booking, student=person)
        identifier = student.id_number
        if not database.is_closed():
            database.close()
    return identifier


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])


def _sign_in(base, identifier):
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    html = opener.open(base + "/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    opener.open(base + "/login", data=urlencode({"identifier": identifier, "password": PASSWORD,
                                                 "csrf_token": token}).encode())
    cookie = next(c for c in opener.handlers if isinstance(c, urllib.request.HTTPCookieProcessor))
    session = next(c.value for c in cookie.cookiejar if c.name == "session")
    return opener, session


def _wrk(url, cookie):
    """(requests/s, p50 ms, p99 ms) from wrk, 2 threads and 50 connections."""
    out = subprocess.run(["wrk", "-t2", "-c50", f"-d{DURATION}", "--latency",
                          "-H", f"Cookie: session={cookie}", url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def percentile(p):
        value, unit = re.search(rf"\s{p}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    if "Non-2xx" in out:
        raise RuntimeError(f"wrk saw errors for {url}:\n{out}")
    return rps, percentile(50), percentile(99)


def _page_weight(opener, base):
    html = opener.open(base + "/me/").read()
    parser = _Assets()
    parser.feed(html.decode())
    assets = sum(len(opener.open(base + path).read()) for path in parser.urls)
    return len(html), assets


def run():
    with tempfile.TemporaryDirectory(prefix="bench-students-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        identifier = _seed(url, f"{tmp}/instance")
        port = _free_port()
        env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench", SESSION_COOKIE_SECURE="false")
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
             "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _attempt in range(50):
                try:
                    urllib.request.urlopen(base + "/healthz")
                    break
                except OSError:
                    time.sleep(0.2)
            opener, session = _sign_in(base, identifier)
            html, assets = _page_weight(opener, base)
            trivial = _wrk(base + "/healthz", session)
            queue = _wrk(base + "/me/ticket.json", session)
        finally:
            server.terminate()
            server.wait(10)
    rows = [("trivial /healthz (baseline)", f"{trivial[0]:,.0f}", f"{trivial[1]:.1f}", f"{trivial[2]:.1f}"),
            ("queue position /me/ticket.json", f"{queue[0]:,.0f}", f"{queue[1]:.1f}", f"{queue[2]:.1f}"),
            ("queue / trivial", f"{queue[0] / trivial[0]:.2f}×", "", "")]
    checks = [
        Check("Queue position endpoint, gunicorn 2 workers", f"{queue[0]:,.0f} requests/s",
              f"≥ {TARGET_RPS} requests/s", queue[0] >= TARGET_RPS),
        Check("Student page, first load (HTML + CSS + JS)", f"{html + assets:,} bytes",
              f"< {FIRST_LOAD_LIMIT:,} bytes", html + assets < FIRST_LOAD_LIMIT),
        Check("Student page, later loads (HTML; CSS and JS cached)", f"{html:,} bytes",
              f"< {LATER_LOAD_LIMIT:,} bytes", html < LATER_LOAD_LIMIT),
    ]
    method = (f"gunicorn with 2 workers × 4 threads on SQLite; wrk from a second process, 2 "
              f"threads, 50 connections, {DURATION}, signed in as a student holding ticket A002. "
              f"Page weight: `/me/` and the stylesheets and scripts it links, uncompressed.")
    return Section("Student pages", method,
                   ["Endpoint", "Requests/s", "p50 (ms)", "p99 (ms)"], rows, checks)
