"""Offline open time: how long the capture form takes to become usable from the service
worker's cache with the server gone, against the same page opened online."""

import statistics
import time

from playwright.sync_api import sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.factories import PASSWORD

from . import environment
from .report import Check, Section

RUNS = 10
TARGET = 1.0  # seconds, median offline
# The form is ready and knows whose records it shows (its cached copy carries no identity).
READY = "body[data-session-user]:not([data-session-user='']) #capture[data-ready='1']"


def _install_worker(page, base_url):
    """Open the form until a service worker controls it: only then is the shell cached."""
    page.goto(base_url + "/outreach/capture")
    page.wait_for_selector(READY)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        page.reload()
        page.wait_for_selector(READY)
    if not page.evaluate("navigator.serviceWorker.controller !== null"):
        raise RuntimeError("no service worker controls /outreach/capture")


def _open_times(page, url):
    """Seconds from navigation start until the form says it is ready, RUNS times."""
    times = []
    for _run in range(RUNS):
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_selector(READY)
        times.append(time.perf_counter() - started)
    return times


def measure():
    """(online times, offline times, offline /start times, Chromium version)."""
    with (
        environment.seeded_app("sqlite") as site,
        environment.LiveServer(site.app) as server,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            environment.browser_sign_in(page, server.url, site.username, PASSWORD)
            _install_worker(page, server.url)
            url = server.url + "/outreach/capture"
            online = _open_times(page, url)
            server.stop()
            context.set_offline(True)
            offline = _open_times(page, url)
            start = _open_times(page, server.url + "/start")
            return online, offline, start, browser.version
        finally:
            browser.close()


def run():
    online, offline, start, version = measure()
    on, off = statistics.median(online), statistics.median(offline)
    rows = [
        (
            "online, server up (baseline)",
            f"{on * 1000:.0f}",
            f"{min(online) * 1000:.0f}",
            f"{max(online) * 1000:.0f}",
        ),
        (
            "offline, server stopped",
            f"{off * 1000:.0f}",
            f"{min(offline) * 1000:.0f}",
            f"{max(offline) * 1000:.0f}",
        ),
        (
            "offline, the installed app's `/start`",
            f"{statistics.median(start) * 1000:.0f}",
            f"{min(start) * 1000:.0f}",
            f"{max(start) * 1000:.0f}",
        ),
        ("offline / online (medians)", f"{off / on:.2f}×", "", ""),
    ]
    check = Check(
        "Offline open of /outreach/capture (median)",
        f"{off * 1000:.0f} ms",
        f"< {TARGET * 1000:.0f} ms",
        off < TARGET,
    )
    method = (
        f"Headless Chromium {version} (Debian's, through Playwright) signs in as outreach "
        f"and opens `/outreach/capture` until a service worker controls it. Then, {RUNS} "
        f"times each, `page.goto` until `{READY}` (the form is ready and knows whose records "
        f"it shows): first online with the server up, then with the live server stopped and "
        f"the browser context offline, then the manifest's start URL offline."
    )
    return Section(
        "Offline open time", method, ["Opening", "Median (ms)", "Min (ms)", "Max (ms)"], rows, [check]
    )
