"""A peak day under Locust: phones polling their ticket, students booking and signing in, desk
windows calling, screens polling (bench/locustfile.py), at 200, 500 and 1,000 simulated users;
through nginx to two gunicorn instances on PostgreSQL (tests/stack.py, the project's own nginx
configuration), and the same mix on one gunicorn instance without nginx (the baseline).

Headless, one Locust process, bounded in users and time, and only ever against 127.0.0.1. The
statistics are reset once every user has started, so that each row is LOAD_SECONDS (60 by
default) of steady load."""

import csv
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from flask import session

from tests.factories import (
    PASSWORD,
    make_application,
    make_appointment,
    make_centre,
    make_season,
    make_student,
    make_user,
)
from tests.stack import nginx_binary, stack
from webapp.clock import local_today
from webapp.config import PROJECT_ROOT
from webapp.db import database
from webapp.services.desk import tickets
from webapp.services.identity import sign_in_sessions

from .environment import ID_NUMBER_KEYS, PG_SERVER, migrated_app, postgres_answers, recreate_postgres
from .report import Check, Section

DATABASE = "studentloan_bench_load"
LEVELS = tuple(int(n) for n in os.environ.get("LOAD_LEVELS", "200,500,1000").split(","))
SECONDS = int(os.environ.get("LOAD_SECONDS", 60))
SPAWN_RATE = 100  # users started per second (no sign-in on start: the devices are signed in)
WAITING = 2000  # students checked in today, each with a phone on the ticket page
BOOKERS = 300  # students with a submitted application and no booking yet
RETURNING = 200  # students who sign in during the run
WINDOWS = 8
SCREENS = 4
WORKERS, THREADS = 2, 8  # per gunicorn instance, in both setups
SECRETS = {"SECRET_KEY": "bench", **ID_NUMBER_KEYS}
LOCUSTFILE = PROJECT_ROOT / "bench" / "locustfile.py"


def _signed_in_cookie(app, user):
    """The session cookie a sign-in leaves in the browser (a SignInSession row on the server and
    Flask's signed cookie naming it), without the Argon2 check: 2,500 of those would take
    longer than the measurements. The sign-ins the run measures are real."""
    from flask_login import login_user

    with app.test_request_context(environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        sign_in_sessions.start(user, False, "127.0.0.1", "locust")
        login_user(user)
        return app.session_interface.get_signing_serializer(app).dumps(dict(session))


def _seed(url, instance, people_path):
    """One busy centre: WAITING students checked in today (tickets A001…), BOOKERS with a
    submitted application, RETURNING who will sign in, desk clerks for the windows and
    screens; writes who they are to people_path for the locustfile."""
    recreate_postgres(DATABASE)
    app = migrated_app(url, instance)
    app.config.update(SECRETS)
    with app.app_context(), app.test_request_context():
        today = local_today()
        centre = make_centre()
        season = make_season(
            centre,
            year=today.year,
            acceptance_start=today - timedelta(days=3),
            acceptance_end=today + timedelta(days=45),
        )
        with database.atomic():
            waiting = [make_student(centre, name=f"排队{n:04d}") for n in range(WAITING)]
            for student in waiting:
                tickets.issue_ticket(make_appointment(student, season, today), today)
            bookers = [make_student(centre, name=f"预约{n:03d}") for n in range(BOOKERS)]
            for student in bookers:
                make_application(student, season, status="submitted")
            returning = [make_student(centre, name=f"登录{n:03d}") for n in range(RETURNING)]
            clerks = [make_user(centre, role="desk") for _ in range(WINDOWS + SCREENS)]

        def cookies(students):
            return [_signed_in_cookie(app, student.accounts.get()) for student in students]

        with database.atomic():
            people = {
                "phones": cookies(waiting),
                "bookers": cookies(bookers),
                "returning": [student.id_number for student in returning],
                "windows": [_signed_in_cookie(app, clerk) for clerk in clerks[:WINDOWS]],
                "screens": [_signed_in_cookie(app, clerk) for clerk in clerks[WINDOWS:]],
                "window_numbers": list(range(1, WINDOWS + 1)),
                "windows_count": WINDOWS,
                "screens_count": SCREENS,
                "password": PASSWORD,
            }
    if not database.is_closed():
        database.close()
    people_path.write_text(json.dumps(people), encoding="utf-8")


def _locust(base, users, people_path, prefix):
    """One level: users started at SPAWN_RATE, statistics reset, SECONDS measured."""
    run_time = math.ceil(users / SPAWN_RATE) + 3 + SECONDS
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            base,
            "-u",
            str(users),
            "-r",
            str(SPAWN_RATE),
            "-t",
            f"{run_time}s",
            "--reset-stats",
            "--csv",
            str(prefix),
            "--only-summary",
            "--exit-code-on-error",
            "0",
            "--stop-timeout",
            "5",
            "--loglevel",
            "WARNING",
        ],
        cwd=PROJECT_ROOT,
        env={**os.environ, "LOAD_PEOPLE": str(people_path)},
        capture_output=True,
        text=True,
        timeout=run_time + 120,
    )
    if result.returncode != 0:
        raise RuntimeError(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    with open(f"{prefix}_failures.csv", encoding="utf-8") as failures:
        reasons = sorted(csv.DictReader(failures), key=lambda row: -int(row["Occurrences"]))
    total = rows["Aggregated"]
    return {
        "rps": float(total["Requests/s"]),
        "requests": int(total["Request Count"]),
        "p50": total["50%"],
        "p95": total["95%"],
        "p99": total["99%"],
        "errors": int(total["Failure Count"]),
        "ticket_p95": rows.get("/me/ticket.json", {}).get("95%", "–"),
        "sign_in_p95": rows.get("/login [sign in]", {}).get("95%", "–"),
        "first_error": f"{reasons[0]['Name']}: {reasons[0]['Error']}"[:120] if reasons else "",
        "locust_cpu_bound": "CPU usage above" in result.stderr,
        "load": os.getloadavg()[0],
    }


def run():
    title = "Peak day under Locust"
    if not postgres_answers() or nginx_binary() is None:
        missing = "PostgreSQL" if not postgres_answers() else "nginx"
        return Section(title, f"Not measured: {missing} is not available on this machine.", ["-"], [])
    url = f"{PG_SERVER}/{DATABASE}"
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        people = os.path.join(tmp, "people.json")
        print("  load: seeding", flush=True)
        _seed(url, f"{tmp}/instance", Path(people))
        setups = (
            ("nginx", "nginx → 2 gunicorn instances", dict(instances=2, with_nginx=True)),
            ("direct", "1 gunicorn instance, no nginx (baseline)", dict(instances=1, with_nginx=False)),
        )
        for key, _name, options in setups:
            with stack(url, workers=WORKERS, threads=THREADS, env=SECRETS, **options) as running:
                for users in LEVELS:
                    print(f"  load: {key}, {users} users", flush=True)
                    results[key, users] = _locust(running.url, users, people, f"{tmp}/{key}-{users}")
                    time.sleep(3)
    rows = []
    for key, name, _options in setups:
        for users in LEVELS:
            r = results[key, users]
            notes = []
            if r["locust_cpu_bound"]:
                notes.append("Locust's own CPU above 90 %")
            if r["first_error"]:
                notes.append(r["first_error"])
            rows.append(
                (
                    name,
                    f"{users:,}",
                    f"{r['rps']:,.0f}",
                    r["p50"],
                    r["p95"],
                    r["p99"],
                    r["ticket_p95"],
                    r["sign_in_p95"],
                    f"{r['errors']:,} of {r['requests']:,}",
                    f"{r['load']:.1f}",
                    "; ".join(notes) or "–",
                )
            )
    lowest = LEVELS[0]
    checks = [
        Check(
            f"Peak-day mix through nginx to 2 instances, {lowest} users: errors",
            f"{results['nginx', lowest]['errors']} of {results['nginx', lowest]['requests']:,} requests",
            "none",
            results["nginx", lowest]["errors"] == 0,
        )
    ]
    method = (
        f"Locust (FastHttpUser, one process, headless) on the same machine, only to 127.0.0.1. "
        f"PostgreSQL with one centre: {WAITING:,} students checked in today, {BOOKERS} with a "
        f"submitted application, {RETURNING} who sign in, {WINDOWS} windows, {SCREENS} screens. "
        f"The mix (bench/locustfile.py): phones ask /me/ticket.json every 5 s (85 % of the "
        f"users); bookers book a half-day and cancel it every 20 s (7 %); students sign in with "
        f"ID number and password (Argon2), open the record and sign out once a minute (8 %); "
        f"{WINDOWS} windows call and finish a ticket every 10 s; {SCREENS} screens poll "
        f"/desk/screen/state.json every second. Phones, bookers, windows and screens were signed "
        f"in before the run (their sessions made as a sign-in makes them). Users start at "
        f"{SPAWN_RATE}/s; statistics are reset once all have started, then {SECONDS} s are "
        f"measured. Each gunicorn instance: deploy/gunicorn.conf.py with {WORKERS} workers × "
        f"{THREADS} threads; nginx: deploy/nginx/loopback.conf (the production locations), one "
        f"worker. Times in ms (Locust rounds them above 100 ms); load: the machine's 1-minute "
        f"load average at the end of the level, on {os.cpu_count()} cores shared by Locust, nginx, "
        f"gunicorn and PostgreSQL."
    )
    return Section(
        title,
        method,
        [
            "Setup",
            "Users",
            "Requests/s",
            "p50",
            "p95",
            "p99",
            "ticket.json p95",
            "sign-in p95",
            "Errors",
            "Load",
            "Notes",
        ],
        rows,
        checks,
    )


if __name__ == "__main__":
    section = run()
    print(section.method)
    for row in section.rows:
        print(" | ".join(str(cell) for cell in row))
