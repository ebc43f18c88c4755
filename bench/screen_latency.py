"""From a window pressing "next" to the waiting-room screen showing the call, while 200 phones
poll their queue position: three screens and the phones run in processes of their own, and the
app runs under gunicorn with 2 workers. The screens either poll (static/js/screen.js's fallback:
a new request one second after the last answer; the baseline) or listen to the pushed calls
(Server-Sent Events, reconnecting when a stream ends, as the browser does), woken by a look at
the line or through Redis. Measured idle, with 200 phones at the ticket page's own pace (every
5 s), and with 200 connections asking without pause (wrk)."""

import json
import multiprocessing
import random
import re
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

from tests.factories import make_appointment, make_centre, make_season, make_student, make_user
from webapp.clock import local_today
from webapp.db import database, open_database
from webapp.services.desk import tickets

from .environment import gunicorn, http_sign_in, migrated_app
from .report import Check, Section

PHONES = 200
SCREENS = 3
CALLS = 30
CALL_EVERY = 1.0  # seconds between presses of "next", on average (± 40 %, not in step with the screens)
PHONE_EVERY = 5.0  # seconds, as static/js/ticket.js
SCREEN_EVERY = 1.0  # seconds after each answer, as static/js/screen.js
TARGET_P99 = 0.5  # pushed calls; polling was bounded by its one-second pace
REDIS = "redis://127.0.0.1:6379/0"


def _seed(url, instance):
    """PHONES students checked in today (tickets A001…), a clerk and the screens' accounts."""
    app = migrated_app(url, instance)
    with app.app_context(), app.test_request_context():
        today = local_today()
        centre = make_centre()
        season = make_season(centre, year=today.year)
        students = []
        for n in range(PHONES):
            student = make_student(centre, name=f"排队{n:03d}")
            tickets.issue_ticket(make_appointment(student, season, today), today)
            students.append(student.id_number)
        clerk = make_user(centre, role="desk").username
        screens = [make_user(centre, role="desk").username for _ in range(SCREENS)]
    if not database.is_closed():
        database.close()
    return students, clerk, screens


def _polling_screen(base, opener, stop, seen):
    """Polls the state one second after each answer."""
    while not stop.is_set():
        try:
            state = json.load(opener.open(base + "/desk/screen/state.json", timeout=10))
            now = time.monotonic()
            for call in state["calls"]:
                seen.setdefault(call["ticket"], now)
        except OSError:
            pass
        stop.wait(SCREEN_EVERY)


def _streaming_screen(base, opener, stop, seen):
    """Reads the pushed calls; a stream that ends is opened again after its retry delay."""
    while not stop.is_set():
        retry_ms = 1000
        try:
            with opener.open(base + "/desk/screen/events", timeout=30) as stream:
                event = None
                for raw in stream:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("retry: "):
                        retry_ms = int(line[7:])
                    elif line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event == "state":
                        now = time.monotonic()
                        for call in json.loads(line[6:])["calls"]:
                            seen.setdefault(call["ticket"], now)
                    if stop.is_set():
                        break
        except OSError:
            pass
        stop.wait(retry_ms / 1000)


SCREEN_KINDS = {"poll": _polling_screen, "stream": _streaming_screen}


def _screen(base, username, kind, stop, results):
    """One screen: remembers when each ticket first appeared among the calls."""
    opener, _session = http_sign_in(base, username)
    seen = {}
    SCREEN_KINDS[kind](base, opener, stop, seen)
    results.put(seen)


def _screens_process(base, usernames, kind, ready, stop, results):
    threads = [threading.Thread(target=_screen, args=(base, name, kind, stop, results)) for name in usernames]
    for thread in threads:
        thread.start()
    ready.set()
    for thread in threads:
        thread.join()


def _signed_in_phones(base, identifiers):
    """Each phone's session cookie, signed in through the real form once a run: the sessions
    live in the database and the secret key is the bench's, so every gunicorn of the run takes
    them (three sign-ins of 200 phones at the production Argon2 cost took most of the run)."""
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(lambda identifier: http_sign_in(base, identifier)[1], identifiers))


def _phones_process(base, sessions, ready, stop, counter):
    """PHONES phones, each asking for its position every PHONE_EVERY seconds, spread out."""
    openers = []
    for session in sessions:
        opener = urllib.request.build_opener()
        opener.addheaders = [("Cookie", f"session={session}")]
        openers.append(opener)
    ready.set()

    def phone(opener, offset):
        stop.wait(offset)
        while not stop.is_set():
            try:
                opener.open(base + "/me/ticket.json", timeout=10).read()
                with counter.get_lock():
                    counter.value += 1
            except OSError:
                pass
            stop.wait(PHONE_EVERY)

    threads = [
        threading.Thread(target=phone, args=(o, i * PHONE_EVERY / len(openers)))
        for i, o in enumerate(openers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def _press_next(base, clerk):
    """The clerk's window: call, and finish each ticket before the next press. Returns the
    moment each ticket was pressed for."""
    opener, _session = http_sign_in(base, clerk)
    page = opener.open(base + "/desk/window").read().decode()
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page).group(1)
    opener.open(
        base + "/desk/window",
        data=urlencode({"csrf_token": token, "window": "1", "service": "first_loan"}).encode(),
    )
    pressed = {}
    for _n in range(CALLS):
        started = time.monotonic()
        page = (
            opener.open(base + "/desk/window/next", data=urlencode({"csrf_token": token}).encode())
            .read()
            .decode()
        )
        label = re.search(r'id="current-ticket"[^>]*>([A-Z]\d{3})<', page).group(1)
        pressed[label] = started
        pause = CALL_EVERY * random.uniform(0.6, 1.4)
        time.sleep(max(0.0, pause - (time.monotonic() - started)))
        finish = re.search(r'action="(/desk/tickets/\d+/finish)"', page).group(1)
        opener.open(base + finish, data=urlencode({"csrf_token": token}).encode()).read()
    return pressed


def _scenario(base, students, clerk, screens, kind, load, phones=()):
    spawn = multiprocessing.get_context("spawn")
    stop, results = spawn.Event(), spawn.Queue()
    screens_ready, phones_ready = spawn.Event(), spawn.Event()
    counter = spawn.Value("i", 0)
    workers = [
        spawn.Process(target=_screens_process, args=(base, screens, kind, screens_ready, stop, results))
    ]
    wrk = None
    if load == "phones":
        workers.append(
            spawn.Process(target=_phones_process, args=(base, phones, phones_ready, stop, counter))
        )
    for worker in workers:
        worker.start()
    screens_ready.wait(120)
    if load == "phones":
        phones_ready.wait(300)
    elif load == "wrk":
        _opener, session = http_sign_in(base, students[-1])
        wrk = subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{PHONES}",
                "-d600s",
                "-H",
                f"Cookie: session={session}",
                base + "/me/ticket.json",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
    time.sleep(2)
    began = time.monotonic()
    pressed = _press_next(base, clerk)
    elapsed = time.monotonic() - began
    time.sleep(SCREEN_EVERY * 2 + 1)
    stop.set()
    seen = [results.get(timeout=60) for _ in screens]
    for worker in workers:
        worker.join(60)
    phone_requests = counter.value
    if wrk is not None:
        wrk.send_signal(2)
        out = wrk.communicate(timeout=30)[0]
        phone_requests = int(re.search(r"(\d+) requests in", out).group(1))
    delays = [screen[label] - at for screen in seen for label, at in pressed.items() if label in screen]
    missing = CALLS * len(screens) - len(delays)
    return delays, missing, phone_requests / elapsed


def _percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


SCREENS_BY = {
    "poll": ("polling every second (baseline)", {}),
    "stream": ("pushed, woken by a look at the line", {"SCREEN_STREAM_SECONDS": "10"}),
    "redis": (
        "pushed, woken through Redis",
        {"SCREEN_STREAM_SECONDS": "10", "REDIS_URL": REDIS, "TASK_QUEUE_NAME": "bench-screen"},
    ),
}
LOADS = {
    "idle": "no other load",
    "phones": f"{PHONES} phones polling every {PHONE_EVERY:.0f} s",
    "wrk": f"{PHONES} connections polling without pause (wrk)",
}


def _measure(url, students, clerk, screens, screens_by, phones, loads):
    kind = "poll" if screens_by == "poll" else "stream"
    results = {}
    with gunicorn(url, workers=2, threads=8, **SCREENS_BY[screens_by][1]) as base:
        if not phones and "phones" in loads:
            phones.extend(_signed_in_phones(base, students))
        for load in loads:
            print(f"  screen latency: {screens_by}, {load}", flush=True)
            results[load] = _scenario(base, students, clerk, screens, kind, load, phones)
            # put the called tickets back in line for the next scenario
            reset = open_database(url)
            reset.execute_sql(
                "UPDATE ticket SET status = 'waiting', called_at = NULL, "
                '"window" = NULL, finished_at = NULL'
            )
            reset.close()
    return results


def run():
    """make bench: each kind of screen with the phones polling, the load the targets are about."""
    return measure_loads(("phones",), "Waiting-room screen")


def measure_loads(loads, title):
    """A row per kind of screen and load; the targets are checked when the phones load ran."""
    with tempfile.TemporaryDirectory(prefix="bench-screen-") as tmp:
        url = f"sqlite:///{tmp}/bench.sqlite3"
        students, clerk, screens = _seed(url, f"{tmp}/instance")
        phones = []  # signed in by the first gunicorn, used by all
        results = {by: _measure(url, students, clerk, screens, by, phones, loads) for by in SCREENS_BY}
    rows = []
    for by, loads in results.items():
        for load, (delays, missing, rate) in loads.items():
            rows.append(
                (
                    SCREENS_BY[by][0],
                    LOADS[load],
                    f"{rate:,.0f}",
                    f"{statistics.median(delays):.2f}",
                    f"{_percentile(delays, 99):.2f}",
                    f"{max(delays):.2f}",
                    str(missing),
                )
            )
    checks = []
    for by in ("stream", "redis") if "phones" in loads else ():
        delays, missing, _rate = results[by]["phones"]
        p99 = _percentile(delays, 99)
        baseline = _percentile(results["poll"]["phones"][0], 99)
        checks.append(
            Check(
                f"Call to screen, {SCREENS_BY[by][0]}, with {PHONES} phones polling, p99",
                f"{p99:.2f} s ({missing} calls missed; polling: {baseline:.2f} s)",
                f"< {TARGET_P99} s, none missed",
                p99 < TARGET_P99 and missing == 0,
            )
        )
    method = (
        f'gunicorn, 2 workers × 8 threads, SQLite. A clerk at window 1 presses "next" '
        f"{CALLS} times, about one press a second, finishing each ticket; {SCREENS} screens in a "
        f"second process either poll `/desk/screen/state.json` one second after each answer (the "
        f"page's fallback) or read `/desk/screen/events`; the phones run in a third process (or "
        f"wrk). Delay: from the press to the screen first showing the ticket; {CALLS} calls × "
        f"{SCREENS} screens per row."
    )
    return Section(
        title,
        method,
        ["Screens", "Load on the server", "Phone requests/s", "p50 (s)", "p99 (s)", "max (s)", "missed"],
        rows,
        checks,
    )
