"""A province on one deployment: 120 centres, 600,000 students, 500,000 applications this
season and 400,000 last (bench/province_data.py), loaded in bulk on PostgreSQL, and one large
centre alone on SQLite (the embedded default).

Measured, each next to a baseline of the same run:
- the busiest centre's dashboard (its admin) and the province's page of every centre (the
  province role), through Flask's test client, median and p95 of several runs after a warm-up,
  against /healthz through the same client;
- sync ingest (POST /api/sync, batches of 100) into the busiest centre with the province
  loaded, against the same records into an empty database;
- the exports of one centre's loans and of the province's (CSV streamed, XLSX written
  row by row to a temporary file), through gunicorn (one worker process), read to the end over
  HTTP: the time, and the worker's peak resident memory (VmHWM, reset after signing in) against
  its size just before.
"""

import logging
import statistics
import tempfile
import time
from contextlib import contextmanager

import psutil

from tests.factories import PASSWORD
from tests.http_helpers import csrf_token
from webapp.db import database

from . import environment, ingest, province_data, season_reports
from .report import Check, Section

PROVINCE_DB = "studentloan_province"
CENTRE_DASHBOARD_MS = 150  # one centre's dashboard with the province loaded (PostgreSQL)
PROVINCE_DASHBOARD_MS = 1000
INGEST_RATE = 3000  # records per second
INGEST_RECORDS = 3000
DEVICES = 4  # outreach devices syncing at the same moment, through gunicorn (2 workers × 8 threads)
TOGETHER_RUNS = 3  # the devices' run is short and shares 2 cores with its client: median of 3
EXPORT_MB = 200
RUNS = 11


def _client(app, username):
    client = app.test_client()
    response = client.post(
        "/login",
        data={"identifier": username, "password": PASSWORD, "csrf_token": csrf_token(client, "/login")},
    )
    if response.status_code != 302:
        raise RuntimeError(f"sign-in of {username} failed with {response.status_code}")
    return client


def _timed(client, path, runs=RUNS):
    """(median, p95) milliseconds of GET path, after one warm-up."""
    times = environment.get_times(client, path, runs)
    return statistics.median(times), statistics.quantiles(times, n=20, method="inclusive")[18]


# --- exports through gunicorn ----------------------------------------------------------------


@contextmanager
def _gunicorn(database_url):
    """The app in gunicorn, one worker process with two threads; yields (base URL, the worker's
    pid, whose memory is read)."""
    with environment.gunicorn_process(database_url, workers=1, threads=2, timeout=900) as (base, server):
        yield base, psutil.Process(server.pid).children()[0].pid


def _status_kb(pid, key):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(key + ":"))


def _opener(base, username):
    return environment.http_sign_in(base, username)[0]


def _download(opener, url, pid):
    """(seconds, bytes, MB before, MB peak) of one export read to the end."""
    with open(f"/proc/{pid}/clear_refs", "w", encoding="ascii") as clear:
        clear.write("5")  # forget the peak of signing in (Argon2 uses 64 MiB on purpose)
    before = _status_kb(pid, "VmRSS")
    started = time.perf_counter()
    size = 0
    with opener.open(url) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        while chunk := response.read(1 << 16):
            size += len(chunk)
    seconds = time.perf_counter() - started
    return seconds, size, before / 1024, _status_kb(pid, "VmHWM") / 1024


def _exports(url, loaded):
    """Each export's figures, and /healthz's time on the same server."""
    results = []
    with _gunicorn(url) as (base, pid):
        admin = _opener(base, loaded.busiest_admin)
        province = _opener(base, loaded.province_user)
        started = time.perf_counter()
        for _run in range(20):
            admin.open(base + "/healthz").read()
        healthz_ms = (time.perf_counter() - started) * 1000 / 20
        for fmt in ("csv", "xlsx"):
            results.append(
                (
                    f"busiest centre's loans, {fmt}",
                    *_download(admin, f"{base}/admin/exports/loans.{fmt}", pid),
                )
            )
        for fmt in ("csv", "xlsx"):
            results.append(
                (
                    f"province's loans, {fmt}",
                    *_download(province, f"{base}/staff/province/loans-{loaded.year}.{fmt}", pid),
                )
            )
    return healthz_ms, results


# --- ingest -----------------------------------------------------------------------------------


def _ingest(app, loaded, url):
    """(seconds for one device into the province, seconds for DEVICES devices at once through
    gunicorn into the province, seconds for one device into an empty database)."""
    school_ids = loaded.school_ids[loaded.busiest_centre]
    records = ingest.make_records(school_ids, INGEST_RECORDS)
    client = _client(app, loaded.busiest_outreach)
    loaded_seconds = ingest.send(client, records, ingest.BATCH)
    if not database.is_closed():
        database.close()
    with environment.gunicorn(url, workers=2, threads=8) as base:
        together_seconds = [
            ingest.send_together(
                base,
                loaded.busiest_outreach,
                school_ids,
                DEVICES,
                INGEST_RECORDS // DEVICES,
                start=INGEST_RECORDS * (run + 1),
            )
            for run in range(TOGETHER_RUNS)
        ]
    with environment.seeded_app("postgresql") as site:
        empty_seconds = ingest.send(
            environment.signed_in_client(site),
            ingest.make_records(site.school_ids, INGEST_RECORDS),
            ingest.BATCH,
        )
    return loaded_seconds, together_seconds, empty_seconds


# --- the run ----------------------------------------------------------------------------------


def _sqlite_centre(scale):
    sizes = province_data.SINGLE_CENTRE.scaled(scale)
    with tempfile.TemporaryDirectory(prefix="bench-centre-") as tmp:
        app = environment.migrated_app(f"sqlite:///{tmp}/centre.sqlite3", f"{tmp}/instance")
        loaded = province_data.load(app, sizes, province_user=False)
        client = _client(app, loaded.busiest_admin)
        healthz = _timed(client, "/healthz")
        dashboard = _timed(client, "/admin/dashboard")
        if not database.is_closed():
            database.close()
    return loaded, healthz, dashboard


def _ms(pair):
    return f"{pair[0]:,.0f} ms (p95 {pair[1]:,.0f} ms)"


def run():
    # each request's JSON line is still made, but written nowhere: hundreds of them would bury
    # the benchmark's own output
    requests_log = logging.getLogger("studentloan.requests")
    requests_log.handlers, requests_log.propagate = [logging.NullHandler()], False
    requests_log.setLevel(logging.INFO)
    scale = province_data.SCALE
    rows, checks = [], []
    kinds = ["postgresql"] if environment.postgres_answers() else []
    sizes = province_data.PROVINCE.scaled(scale)
    if kinds:
        environment.recreate_postgres(PROVINCE_DB)
        url = f"{environment.PG_SERVER}/{PROVINCE_DB}"
        with tempfile.TemporaryDirectory(prefix="bench-province-") as tmp:
            app = environment.migrated_app(url, f"{tmp}/instance")
            print(f"  province: loading {sizes.applications_text()} …", flush=True)
            loaded = province_data.load(app, sizes)
            print(f"  province: loaded in {loaded.seconds:.0f} s", flush=True)
            admin = _client(app, loaded.busiest_admin)
            healthz = _timed(admin, "/healthz")
            centre = _timed(admin, "/admin/dashboard")
            province_client = _client(app, loaded.province_user)
            province_healthz = _timed(province_client, "/healthz", runs=5)
            province = _timed(province_client, "/staff/province", runs=5)
            if not database.is_closed():
                database.close()
            print("  province: exports …", flush=True)
            export_healthz_ms, exported = _exports(url, loaded)
            print("  province: ingest …", flush=True)
            ingest_seconds, together_seconds, empty_seconds = _ingest(app, loaded, url)
            if not database.is_closed():
                database.close()
        rate, empty_rate = INGEST_RECORDS / ingest_seconds, INGEST_RECORDS / empty_seconds
        together_rates = sorted(INGEST_RECORDS // DEVICES * DEVICES / seconds for seconds in together_seconds)
        together_rate = statistics.median(together_rates)
        each_run = ", ".join(f"{r:,.0f}" for r in together_rates)
        rows += [
            (
                "postgresql",
                "load (generate, COPY, VACUUM ANALYZE, CHECKPOINT)",
                f"{loaded.seconds:,.0f} s",
                loaded.rows_text(),
            ),
            ("postgresql", "/healthz, busiest centre's admin (baseline)", _ms(healthz), ""),
            (
                "postgresql",
                "busiest centre's dashboard",
                _ms(centre),
                f"{loaded.busiest_applications:,} applications this season "
                f"(median centre {loaded.median_applications:,}); {centre[0] / healthz[0]:,.0f}× /healthz",
            ),
            ("postgresql", "/healthz, province user (baseline)", _ms(province_healthz), ""),
            (
                "postgresql",
                "province page, every centre",
                _ms(province),
                f"{sizes.centres} centres; {province[0] / province_healthz[0]:,.0f}× /healthz",
            ),
            (
                "postgresql",
                f"ingest into the busiest centre, batches of {ingest.BATCH}",
                f"{rate:,.0f} records/s",
                f"{INGEST_RECORDS:,} records; into an empty database (baseline): {empty_rate:,.0f} records/s",
            ),
            (
                "postgresql",
                f"ingest, {DEVICES} devices at once through gunicorn (2 workers × 8 threads)",
                f"{together_rate:,.0f} records/s (median of {TOGETHER_RUNS} runs)",
                f"each run {INGEST_RECORDS // DEVICES * DEVICES:,} more records, "
                f"{INGEST_RECORDS // DEVICES:,} per device; runs: {each_run} records/s",
            ),
            (
                "postgresql",
                "/healthz through gunicorn (baseline for the exports)",
                f"{export_healthz_ms:.1f} ms",
                "",
            ),
        ]
        rows += [
            (
                "postgresql",
                f"export: {what}",
                f"{seconds:,.1f} s; {peak:,.0f} MB peak",
                f"{size / 1e6:,.1f} MB file; worker {before:,.0f} MB before (+{peak - before:,.0f} MB)",
            )
            for what, seconds, size, before, peak in exported
        ]
        checks += [
            Check(
                "Busiest centre's dashboard, province loaded (postgresql, median)",
                f"{centre[0]:,.0f} ms",
                f"< {CENTRE_DASHBOARD_MS} ms",
                centre[0] < CENTRE_DASHBOARD_MS,
            ),
            Check(
                f"Province page over {sizes.centres} centres (postgresql, median)",
                f"{province[0]:,.0f} ms",
                f"< {PROVINCE_DASHBOARD_MS} ms",
                province[0] < PROVINCE_DASHBOARD_MS,
            ),
            Check(
                f"Ingest, province loaded (postgresql), batches of {ingest.BATCH}, {DEVICES} devices at once "
                f"(median of {TOGETHER_RUNS} runs)",
                f"{together_rate:,.0f} records/s (one device alone: {rate:,.0f})",
                f"≥ {INGEST_RATE:,} records/s",
                together_rate >= INGEST_RATE,
            ),
        ]
        checks += [
            Check(
                f"Export memory, {what} (postgresql)",
                f"{peak:,.0f} MB",
                f"< {EXPORT_MB} MB",
                peak < EXPORT_MB,
            )
            for what, _seconds, _size, _before, peak in exported
        ]
    print("  province: one centre on SQLite …", flush=True)
    single, healthz, dashboard = _sqlite_centre(scale)
    rows += [
        ("sqlite", "load (generate, insert, ANALYZE)", f"{single.seconds:,.0f} s", single.rows_text()),
        ("sqlite", "/healthz (baseline)", _ms(healthz), ""),
        (
            "sqlite",
            "the centre's dashboard",
            _ms(dashboard),
            f"{single.busiest_applications:,} applications this season; {dashboard[0] / healthz[0]:,.0f}× /healthz",
        ),
    ]
    checks.append(
        Check(
            f"Dashboard of one centre with {single.busiest_applications:,} applications (sqlite, median)",
            f"{dashboard[0]:,.0f} ms",
            f"< {season_reports.DASHBOARD_TARGET_MS} ms",
            dashboard[0] < season_reports.DASHBOARD_TARGET_MS,
        )
    )
    skipped = "" if kinds else " No PostgreSQL answered on 127.0.0.1:5432: the single centre on SQLite only."
    scaled = f" Scaled by PROVINCE_SCALE={scale:g}." if scale != 1 else ""
    method = (
        f"`bench/province_data.py` generates a province: {sizes.centres} centres of uneven size (log-normal: "
        f"the busiest several times the median), {sizes.schools:,} schools, {sizes.students:,} students with "
        f"their co-borrowers, {sizes.current:,} applications this season and {sizes.previous:,} last season "
        f"in the statuses of a season under way, pre-registrations, bookings over the season's weekdays "
        f"(morning and afternoon), tickets (today's still waiting), and booking messages in every state; "
        f"valid, distinct ID numbers stored encrypted with their blind index. Loaded with COPY into a "
        f"PostgreSQL database migrated by the project's migrations, then VACUUM ANALYZE and a CHECKPOINT; the single "
        f"centre ({province_data.SINGLE_CENTRE.current:,} applications this season, "
        f"{province_data.SINGLE_CENTRE.previous:,} last) the same way into SQLite. Dashboards: GET through "
        f"Flask's test client signed in through the login form, median and p95 of {RUNS} runs (5 for the "
        f"province page) after a warm-up; the targets are on the median. Ingest: "
        f"{INGEST_RECORDS:,} valid pre-registrations to `/api/sync` in batches of {ingest.BATCH} as the busiest "
        f"centre's outreach worker (bench/ingest.py), from one device through the test client, then from "
        f"{DEVICES} devices at once through gunicorn (new records each time; the median of {TOGETHER_RUNS} "
        f"runs, each run listed). Exports: gunicorn with one worker process, each file "
        f"read to the end over HTTP; memory is the worker's VmHWM, reset after signing in."
        f"{scaled}{skipped}"
    )
    return Section(
        "A province on PostgreSQL", method, ["Database", "What", "Measured", "Notes"], rows, checks
    )
