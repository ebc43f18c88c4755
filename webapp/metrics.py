"""Prometheus metrics: request latency by endpoint and status, sync results, text messages sent
and failed, PDF render time, and, read from the database at each scrape, the queue lengths per
centre and the tasks waiting in the task queue.

Served at /metrics only when METRICS_TOKEN is set, to a scraper that sends it as a bearer token;
otherwise the page does not exist. Under gunicorn, set PROMETHEUS_MULTIPROC_DIR (an empty
directory, the same for the web and the task-queue services) so that every process's counts are
added up; deploy/gunicorn.conf.py clears a finished worker's.
"""

import hmac
import os
import time
from contextlib import contextmanager

from flask import Response, abort, current_app, request
from peewee import PeeweeException
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from webapp.clock import local_today
from webapp.db import without_database
from webapp.task_queue import huey

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

# Created outside any registry: each scrape gathers them (or, across processes, their files).
REQUEST_SECONDS = Histogram(
    "studentloan_request_seconds",
    "Time to answer a request, by endpoint, method and status",
    ["endpoint", "method", "status"],
    buckets=LATENCY_BUCKETS,
    registry=None,
)
SYNC_RECORDS = Counter(
    "studentloan_sync_records_total",
    "Records received through /api/sync, by what became of them",
    ["result"],
    registry=None,
)
MESSAGES = Counter(
    "studentloan_messages_total",
    "Text messages handed to the provider, by the state each attempt left them in (queued: tried again later)",
    ["state"],
    registry=None,
)
PDF_SECONDS = Histogram(
    "studentloan_pdf_render_seconds",
    "Time to lay out one print job as PDF, by its first document's kind",
    ["document"],
    buckets=LATENCY_BUCKETS,
    registry=None,
)
OWN_METRICS = (REQUEST_SECONDS, SYNC_RECORDS, MESSAGES, PDF_SECONDS)


def observe_request(endpoint: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(endpoint, method, str(status)).observe(seconds)


def count_sync(results) -> None:
    for result in results:
        SYNC_RECORDS.labels(result.status).inc()


def count_message(state: str) -> None:
    MESSAGES.labels(str(state)).inc()


@contextmanager
def pdf_timer(document: str):
    started = time.perf_counter()
    yield
    PDF_SECONDS.labels(document).observe(time.perf_counter() - started)


class DatabaseFigures:
    """Read at each scrape, so every process reports the same truth."""

    def collect(self):
        waiting_per_centre = current_app.extensions["metrics.waiting_per_centre"]

        # A figure that cannot be read is left out: the process's own metrics still answer
        # (and /readyz says what is wrong).
        try:
            rows = waiting_per_centre(local_today())
        except PeeweeException:
            rows = None
        if rows is not None:
            waiting = GaugeMetricFamily(
                "studentloan_queue_waiting",
                "Tickets waiting today, per centre and stream",
                labels=["centre", "stream"],
            )
            for region_code, stream, count in rows:
                waiting.add_metric([region_code, stream], count)
            yield waiting
        try:
            pending = huey.pending_count()
        except Exception:  # noqa: BLE001 (SQLite or Redis: whatever keeps the queue from answering)
            return
        yield GaugeMetricFamily(
            "studentloan_tasks_pending", "Tasks (text messages) waiting in the task queue", value=pending
        )


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in OWN_METRICS:
            registry.register(metric)
    registry.register(DatabaseFigures())
    return registry


@without_database  # it answers while the database does not; the figures from it are left out
def metrics_page():
    token = current_app.config["METRICS_TOKEN"]
    sent = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(sent.encode(), token.encode()):
        abort(404)
    return Response(generate_latest(_registry()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app, waiting_per_centre):
    """waiting_per_centre(day) gives (centre's region code, stream, tickets waiting) rows: the
    queue's own rule, handed in by create_app so that metrics never reaches up into services."""
    app.extensions["metrics.waiting_per_centre"] = waiting_per_centre
    app.add_url_rule("/metrics", "metrics", metrics_page)
