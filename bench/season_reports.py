"""The dashboard and the exports with a province-sized season: 100,000 accepted applications
this season (the dashboard's worst case, and 100,000 rows to export) and 50,000 last season,
with their students, bookings and tickets, on SQLite and PostgreSQL, analysed as autovacuum
would on a live server.

The dashboard is timed through Flask's test client (every query and the template), median of
five after one warm-up, next to the trivial /healthz in the same run; the query plans of its
main statements are checked for index use. The export runs in a child process whose peak
resident memory (VmHWM, reset after signing in) is read from the kernel, next to the same
process just before exporting.
"""

import json
import statistics
import subprocess
import sys
from datetime import date, datetime, timedelta

from tests.factories import PASSWORD, make_school, make_season, make_user
from tests.http_helpers import csrf_token
from webapp.clock import local_today
from webapp.config import PROJECT_ROOT
from webapp.db import database, is_sqlite
from webapp.models import Application, Appointment, Centre, Student, Ticket

from . import environment
from .report import Check, Section

APPLICATIONS = 100_000
PREVIOUS = 50_000
SCHOOLS = 40
DASHBOARD_TARGET_MS = (
    300  # one centre of 100,000 applications, also the SQLite default's in bench/province.py
)
EXPORT_TARGET_MB = 150
CHUNK = 5000


def _seed(site):
    """Bulk rows: students, accepted applications, bookings and tickets."""
    app = site.app
    with app.app_context():
        centre = Centre.select().first()
        centre_id = centre.id
        today = local_today()
        schools = [make_school(centre, name=f"学校{n:02d}").id for n in range(SCHOOLS)]
        current = make_season(
            centre,
            year=today.year,
            acceptance_start=today - timedelta(days=50),
            acceptance_end=today + timedelta(days=10),
        )
        previous = make_season(centre, year=today.year - 1, is_current=False)
        make_user(centre, role="admin", username="bench-admin")
        with database.atomic():
            _students_and_applications(centre_id, current, schools, APPLICATIONS, 0, today)
            _students_and_applications(
                centre_id, previous, schools, PREVIOUS, APPLICATIONS, today - timedelta(days=365)
            )
        database.execute_sql("ANALYZE")
        if not database.is_closed():
            database.close()
    return current


def _bulk(model, rows):
    """Insert dicts in chunks; peewee fills in every field's default."""
    for start in range(0, len(rows), CHUNK):
        model.insert_many(rows[start : start + CHUNK]).execute()


def _students_and_applications(centre_id, season, schools, count, offset, today):
    now = datetime.utcnow()
    _bulk(
        Student,
        [
            {
                "centre": centre_id,
                "id_number": f"B{n:017d}",
                "id_number_index": f"B{n:017d}",  # insert_many takes no accessor: the index too
                "name": f"学生{n}",
                "birth_date": date(2007, 1, 1),
                "sex": "F",
                "school": schools[n % SCHOOLS],
                "created_at": now,
            }
            for n in range(offset, offset + count)
        ],
    )
    first_student = Student.get(Student.id_number_index == f"B{offset:017d}").id
    applications = []
    for n in range(count):
        day = today - timedelta(days=n % 50)
        applications.append(
            {
                "centre": centre_id,
                "season": season.id,
                "student": first_student + n,
                "kind": "first_loan" if n % 5 else "renewal",
                "status": "accepted",
                "needs_window": n % 5 == 0 and n % 2 == 0,
                "university": "山西大学",
                "level": "undergraduate",
                "study_years": 4,
                "amount_requested": 8000 + (n % 9) * 1000,
                "loan_term_years": 19,
                "contract_number": f"C{n:08d}",
                "hardship_required": False,
                "created_at": now,
                "updated_at": now,
                "submitted_at": now,
                "accepted_at": datetime.combine(day, datetime.min.time()) + timedelta(hours=1 + n % 8),
                "desk_minutes": 20 + n % 30,
            }
        )
    _bulk(Application, applications)
    ids = [
        a
        for (a,) in Application.select(Application.id)
        .where(Application.season == season)
        .order_by(Application.id)
        .tuples()
    ]
    _bulk(
        Appointment,
        [
            {
                "centre": centre_id,
                "season": season.id,
                "student": first_student + i,
                "application": ids[i],
                "service": "first_loan",
                "day": today - timedelta(days=i % 50),
                "half_day": "morning" if i % 2 else "afternoon",
                "code": f"S{season.id}{i:09d}",
                "status": "done" if i % 10 < 6 else ("no_show" if i % 10 == 9 else "booked"),
                "created_at": now,
            }
            for i in range(len(ids))
        ],
    )
    appointments = [
        a
        for (a,) in Appointment.select(Appointment.id)
        .where(Appointment.season == season)
        .order_by(Appointment.id)
        .tuples()
    ]
    tickets = []
    for i, appointment in enumerate(appointments):
        if i % 10 >= 6:
            continue
        day = today - timedelta(days=i % 50)
        issued = datetime.combine(day, datetime.min.time()) + timedelta(hours=i % 8, minutes=10)
        tickets.append(
            {
                "centre": centre_id,
                "day": day,
                "stream": f"Z{season.id}",
                "number": i + 1,
                "service": "first_loan",
                "appointment": appointment,
                "student": first_student + i,
                "status": "done",
                "issued_at": issued,
                "queued_at": issued,
                "called_at": issued + timedelta(minutes=15 + i % 30),
                "wait_minutes": 15 + i % 30,
            }
        )
    _bulk(Ticket, tickets)


PLANNED = {
    "accepted in season": lambda s: Application.select().where(
        (Application.season == s) & (Application.status == "accepted")
    ),
    "bookings of the season": lambda s: Appointment.select().where(
        (Appointment.season == s) & (Appointment.status == "no_show")
    ),
}


def _plans(site, season):
    """The plan of each main statement, and whether it reads an index rather than the table."""
    results = {}
    with site.app.app_context():
        for name, build in PLANNED.items():
            sql, params = build(season).sql()
            prefix = "EXPLAIN QUERY PLAN " if is_sqlite() else "EXPLAIN "
            rows = database.execute_sql(prefix + sql, params).fetchall()
            text = " | ".join(str(row[-1]) for row in rows)
            results[name] = (
                text,
                ("INDEX" in text.upper()) and "SCAN APPLICATION " not in text.upper() + " ",
            )
        if not database.is_closed():
            database.close()
    return results


def _time(client, path, runs=5):
    return statistics.median(environment.get_times(client, path, runs))


EXPORT_SCRIPT = """
import json, sys
from webapp import create_app
from tests.http_helpers import csrf_token
from bench.environment import ID_NUMBER_KEYS

def high_water_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

app = create_app({"DATABASE_URL": sys.argv[1], "INSTANCE_PATH": sys.argv[2], "SECRET_KEY": "bench",
                  "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False, **ID_NUMBER_KEYS})
client = app.test_client()
client.post("/login", data={"identifier": "bench-admin", "password": sys.argv[4],
                            "csrf_token": csrf_token(client, "/login")})
client.get("/admin/exports")
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # forget the peak of signing in (Argon2 uses 64 MiB on purpose)
before = high_water_kb()
response = client.get("/admin/exports/loans.%s" % sys.argv[3], buffered=False)
size = 0
for chunk in response.response:
    size += len(chunk)
response.close()
print(json.dumps({"before_kb": before, "peak_kb": high_water_kb(), "bytes": size}))
"""


def _export_memory(url, instance, fmt):
    out = subprocess.run(
        [sys.executable, "-c", EXPORT_SCRIPT, url, instance, fmt, PASSWORD],
        check=True,
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def run():
    rows, checks, plans = [], [], []
    kinds = ["sqlite"] + (["postgresql"] if environment.postgres_answers() else [])
    for kind in kinds:
        with environment.seeded_app(kind) as site:
            print(f"  season reports: seeding {kind} …", flush=True)
            season = _seed(site)
            client = site.app.test_client()
            client.post(
                "/login",
                data={
                    "identifier": "bench-admin",
                    "password": PASSWORD,
                    "csrf_token": csrf_token(client, "/login"),
                },
            )
            trivial = _time(client, "/healthz")
            dashboard_ms = _time(client, "/admin/dashboard")
            for name, (text, indexed) in _plans(site, season).items():
                plans.append((kind, name, "index" if indexed else "TABLE SCAN", text[:120]))
            url = site.app.config["DATABASE_URL"]
            memory = {fmt: _export_memory(url, site.app.instance_path, fmt) for fmt in ("csv", "xlsx")}
        rows.append((kind, "/healthz (baseline)", f"{trivial:.1f} ms", ""))
        rows.append((kind, "dashboard, 100,000 applications", f"{dashboard_ms:.0f} ms", ""))
        checks.append(
            Check(
                f"Dashboard with {APPLICATIONS:,} applications ({kind})",
                f"{dashboard_ms:.0f} ms",
                f"< {DASHBOARD_TARGET_MS} ms",
                dashboard_ms < DASHBOARD_TARGET_MS,
            )
        )
        for fmt, result in memory.items():
            peak = result["peak_kb"] / 1024
            rows.append(
                (
                    kind,
                    f"export of {APPLICATIONS:,} accepted loans as {fmt}",
                    f"{peak:.0f} MB peak",
                    f"{result['before_kb'] / 1024:.0f} MB before; {result['bytes'] / 1e6:.1f} MB file",
                )
            )
            checks.append(
                Check(
                    f"Export memory, {fmt} ({kind})",
                    f"{peak:.0f} MB",
                    f"< {EXPORT_TARGET_MB} MB",
                    peak < EXPORT_TARGET_MB,
                )
            )
    checks.append(
        Check(
            "Dashboard statements read indexes",
            ", ".join(p[2] for p in plans),
            "index on every statement",
            all(p[2] == "index" for p in plans),
        )
    )
    rows.extend((kind, f"plan: {name}", verdict, text) for kind, name, verdict, text in plans)
    method = (
        f"{APPLICATIONS:,} accepted applications this season (over 50 days, with bookings "
        f"and tickets) and {PREVIOUS:,} last season, {SCHOOLS} schools, inserted in bulk, then "
        f"ANALYZE. Dashboard: GET /admin/dashboard through Flask's test client as an admin, "
        f"median of 5 after a warm-up. Export: GET /admin/exports/loans.(csv|xlsx) in a child "
        f"process, the streamed body read to the end; peak resident memory from /proc (VmHWM)."
    )
    return Section("Dashboard and exports", method, ["Database", "What", "Measured", "Notes"], rows, checks)
