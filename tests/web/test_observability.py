"""Watching it run: /healthz and /readyz, the Prometheus metrics behind their token, one JSON
line per request with personal numbers masked, and the client's address behind a proxy."""

import json
import logging

import pytest

from tests.factories import (
    PASSWORD,
    make_application,
    make_appointment,
    make_centre,
    make_school,
    make_season,
    make_student,
    make_user,
)
from tests.outreach_helpers import prereg
from webapp import create_app
from webapp.clock import local_today
from webapp.models import LoginThrottle
from webapp.services.desk import tickets
from webapp.task_queue import huey

TOKEN = "scrape-me-please"


@pytest.fixture
def watched_app(app):
    app.config["METRICS_TOKEN"] = TOKEN
    return app


def scrape(client, token=TOKEN):
    return client.get("/metrics", headers={"Authorization": f"Bearer {token}"})


def test_ready_when_the_database_and_queue_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"database": "ok", "task_queue": "ok"}}


def test_alive_but_not_ready_without_a_database(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nowhere",
        }
    )
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"status": "ok"}
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "not ready"
    assert body["checks"]["database"].startswith("unreachable")
    assert body["checks"]["task_queue"] == "ok"


def test_not_ready_while_migrations_wait(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'new.sqlite3'}",
        }
    )
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert "migration(s) not applied" in response.get_json()["checks"]["database"]


def test_metrics_do_not_exist_without_the_token(client, watched_app):
    assert client.get("/metrics").status_code == 404
    assert scrape(client, token="guess").status_code == 404
    watched_app.config["METRICS_TOKEN"] = ""
    assert scrape(client, token="").status_code == 404


def test_metrics_count_requests_sync_and_the_queue_per_centre(client, auth, watched_app):
    centre = make_centre()
    school = make_school(centre)
    make_user(centre, role="outreach", username="sun")
    with watched_app.app_context():
        today = local_today()
        season = make_season(centre, year=today.year)
        for name in ("排队甲", "排队乙"):
            tickets.issue_ticket(make_appointment(make_student(centre, name=name), season, today), today)
    auth.login("sun", PASSWORD)
    results = client.post(
        "/api/sync", json={"device_id": "d", "records": [prereg(school), prereg(school, id_number="1")]}
    ).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted", "invalid"]

    text = scrape(client).get_data(as_text=True)
    assert 'studentloan_queue_waiting{centre="140623",stream="A"} 2.0' in text
    assert 'studentloan_request_seconds_count{endpoint="api.sync",method="POST",status="200"}' in text
    assert 'studentloan_sync_records_total{result="accepted"}' in text
    assert 'studentloan_sync_records_total{result="invalid"}' in text
    assert "studentloan_tasks_pending" in text


def test_metrics_time_pdfs_and_count_messages(client, auth, watched_app, provider):
    centre = make_centre()
    season = make_season(centre, year=2026)
    application = make_application(make_student(centre), season, status="submitted")
    make_user(centre, role="desk", username="window")
    auth.login("window", PASSWORD)
    assert client.get(f"/documents/application-form/{application.id}.pdf").status_code == 200
    text = scrape(client).get_data(as_text=True)
    assert 'studentloan_pdf_render_seconds_count{document="application_form"}' in text


def test_one_json_line_per_request_with_numbers_masked(client, auth, app):
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    logger = logging.getLogger("studentloan.requests")
    keep = Keep()
    keep.addFilter(logger.filters[0])  # the mask, as on every handler the app configures
    logger.addHandler(keep)
    try:
        centre = make_centre()
        user = make_user(centre, role="desk", username="window")
        auth.login("window", PASSWORD)
        response = client.get(
            "/desk/?q=13912345678&id=140623200803141315", headers={"X-Request-Id": "edge-0123456789"}
        )
    finally:
        logger.removeHandler(keep)
    assert response.headers["X-Request-Id"] == "edge-0123456789"
    line = json.loads(lines[-1])
    assert line["request_id"] == "edge-0123456789"
    assert (line["user"], line["centre"], line["method"]) == (user.id, centre.id, "GET")
    assert line["status"] == response.status_code and line["ms"] >= 0
    assert "13912345678" not in line["path"] and "139****5678" in line["path"]
    assert "140623200803141315" not in line["path"] and "140623********1315" in line["path"]


def test_a_made_up_request_id_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-Id": "<script>"})
    assert len(response.headers["X-Request-Id"]) == 32


@pytest.mark.parametrize("proxies, counted", [(0, "127.0.0.1"), (1, "203.0.113.9")])
def test_sign_in_throttling_counts_the_address_the_trusted_proxy_saw(
    database_url, tmp_path, proxies, counted
):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "WTF_CSRF_ENABLED": False,
            "TRUSTED_PROXIES": proxies,
        }
    )
    with app.app_context():
        make_user(make_centre(), role="desk", username="window")
    client = app.test_client()
    # the client forges one address; the proxy appends the one it saw
    client.post(
        "/login",
        data={"identifier": "window", "password": "wrong"},
        headers={"X-Forwarded-For": "10.1.1.1, 203.0.113.9"},
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
    )
    with app.app_context():
        keys = {row.key for row in LoginThrottle.select()}
    assert f"ip:{counted}" in keys
    assert "ip:10.1.1.1" not in keys


def test_tasks_pending_reads_the_configured_queue(watched_app, client):
    before = huey.pending_count()
    assert f"studentloan_tasks_pending {float(before)}" in scrape(client).get_data(as_text=True)


def test_metrics_still_answer_without_a_database(tmp_path):
    app = create_app(
        {
            "INSTANCE_PATH": str(tmp_path),
            "SECRET_KEY": "x",
            "DATABASE_URL": "postgresql://postgres@127.0.0.1:9/nowhere",
            "METRICS_TOKEN": TOKEN,
        }
    )
    client = app.test_client()
    client.get("/healthz")
    response = scrape(client)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'studentloan_request_seconds_count{endpoint="main.health",method="GET",status="200"}' in text
    assert "studentloan_queue_waiting{" not in text
