"""Student pages on cheap phones: the queue-position endpoint under load from a second process
(wrk against gunicorn with 2 workers), next to a trivial endpoint measured in the same run; and
the weight of a student page on first load and afterwards."""

import re
import subprocess
import tempfile
from html.parser import HTMLParser

from tests.factories import make_centre, make_season, make_student
from webapp.clock import local_today
from webapp.db import database
from webapp.models import Appointment, Ticket, utcnow

from .environment import gunicorn, http_sign_in, migrated_app
from .report import Check, Section

TARGET_RPS = 500
FIRST_LOAD_LIMIT = 100_000
LATER_LOAD_LIMIT = 20_000
DURATION = "10s"


def _seed(url, instance):
    """A student with a booking today and ticket A001, one ticket ahead of them."""
    app = migrated_app(url, instance)
    with app.app_context():
        today = local_today()
        centre = make_centre()
        season = make_season(centre, year=today.year)
        ahead, student = make_student(centre, name="前面"), make_student(centre, name="排队")
        for number, person in enumerate((ahead, student), start=1):
            booking = Appointment.create(
                centre=centre,
                season=season,
                student=person,
                service="first_loan",
                day=today,
                half_day="morning",
                code=f"W{number:05d}",
                status="checked_in",
            )
            Ticket.create(
                centre=centre,
                day=today,
                stream="A",
                number=number,
                service="first_loan",
                appointment=booking,
                student=person,
                queued_at=utcnow(),
            )
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


def wrk(url, cookie, connections=50, duration=DURATION):
    """(requests/s, p50 ms, p99 ms) from wrk, 2 threads."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}",
            "--latency",
            "-H",
            f"Cookie: session={cookie}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
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
        with gunicorn(url) as base:
            opener, session = http_sign_in(base, identifier)
            html, assets = _page_weight(opener, base)
            trivial = wrk(base + "/healthz", session)
            queue = wrk(base + "/me/ticket.json", session)
    rows = [
        ("trivial /healthz (baseline)", f"{trivial[0]:,.0f}", f"{trivial[1]:.1f}", f"{trivial[2]:.1f}"),
        ("queue position /me/ticket.json", f"{queue[0]:,.0f}", f"{queue[1]:.1f}", f"{queue[2]:.1f}"),
        ("queue / trivial", f"{queue[0] / trivial[0]:.2f}×", "", ""),
    ]
    checks = [
        Check(
            "Queue position endpoint, gunicorn 2 workers",
            f"{queue[0]:,.0f} requests/s",
            f"≥ {TARGET_RPS} requests/s",
            queue[0] >= TARGET_RPS,
        ),
        Check(
            "Student page, first load (HTML + CSS + JS)",
            f"{html + assets:,} bytes",
            f"< {FIRST_LOAD_LIMIT:,} bytes",
            html + assets < FIRST_LOAD_LIMIT,
        ),
        Check(
            "Student page, later loads (HTML; CSS and JS cached)",
            f"{html:,} bytes",
            f"< {LATER_LOAD_LIMIT:,} bytes",
            html < LATER_LOAD_LIMIT,
        ),
    ]
    method = (
        f"gunicorn with 2 workers × 4 threads on SQLite; wrk from a second process, 2 "
        f"threads, 50 connections, {DURATION}, signed in as a student holding ticket A002. "
        f"Page weight: `/me/` and the stylesheets and scripts it links, uncompressed."
    )
    return Section("Student pages", method, ["Endpoint", "Requests/s", "p50 (ms)", "p99 (ms)"], rows, checks)
