"""Server ingest through POST /api/sync, the way phones deliver a day's captures.

1,400 valid pre-registrations in batches of 100, against the same records one per request
(the baseline: what batching buys), then the whole lot sent again (a phone that never heard
the answers: the idempotent path). Each kind of send starts from a fresh database.
"""

import json
import threading
import time
import urllib.request
import uuid
from datetime import date, timedelta

from tests.factories import valid_id_number
from webapp import id_crypto
from webapp.models import PreRegistration

from . import environment
from .report import Check, Section

RECORDS = 1400
BATCH = 100
TARGET = 1000  # records per second, on each database
NAMESPACE = uuid.UUID("5a0c8f5e-2b1d-4c55-9a43-1d0f3c2e6b7a")


def make_records(school_ids, count=RECORDS, start=0):
    """The same records on every call: distinct UUIDs and distinct valid ID numbers (start:
    where in the sequence, so that several devices send different records)."""
    records = []
    for i in range(start, start + count):
        birth = date(2006, 1, 1) + timedelta(days=i // 500)
        number = valid_id_number(birth=birth, sequence=f"{i % 500 * 2 + 1:03d}")
        records.append(
            {
                "uuid": str(uuid.uuid5(NAMESPACE, str(i))),
                "revision": 1,
                "kind": "pre_registration",
                "captured_at": "2026-06-10T10:30:00+08:00",
                "data": {
                    "school_id": school_ids[i % len(school_ids)],
                    "name": f"学生{i:04d}",
                    "id_number": number,
                    "category": i % 5,
                    "class_name": f"高三（{i % 8 + 1}）班",
                    "mobile": f"139{i:08d}",
                },
            }
        )
    return records


def send_over_http(opener, base, records, batch_size, device):
    """send(), through a real server: one device's batches, one after the other."""
    for begin in range(0, len(records), batch_size):
        body = json.dumps({"device_id": device, "records": records[begin : begin + batch_size]}).encode()
        request = urllib.request.Request(
            base + "/api/sync", data=body, headers={"Content-Type": "application/json"}
        )
        answer = json.load(opener.open(request, timeout=120))
        if any(result["status"] != "accepted" for result in answer["results"]):
            raise RuntimeError(f"{device}: not every record was accepted")


def send_together(base, username, school_ids, devices, per_device, batch_size=BATCH, start=0):
    """Seconds for several devices of one outreach worker to deliver their own records at once."""
    opener, _session = environment.http_sign_in(base, username)
    loads = [make_records(school_ids, per_device, start + n * per_device) for n in range(devices)]
    failures = []

    def device(n, records):
        try:
            send_over_http(opener, base, records, batch_size, f"device-{n}")
        except (OSError, RuntimeError) as exc:
            failures.append(exc)

    threads = [threading.Thread(target=device, args=(n, records)) for n, records in enumerate(loads)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"devices failed: {failures}")
    return elapsed


def send(client, records, batch_size):
    """Seconds to deliver records in batches; raises unless every record was accepted."""
    statuses = []
    started = time.perf_counter()
    for start in range(0, len(records), batch_size):
        response = client.post(
            "/api/sync", json={"device_id": "bench", "records": records[start : start + batch_size]}
        )
        if response.status_code != 200:
            raise RuntimeError(f"/api/sync answered {response.status_code}")
        statuses += [result["status"] for result in response.get_json()["results"]]
    elapsed = time.perf_counter() - started
    if statuses != ["accepted"] * len(records):
        raise RuntimeError(f"not every record was accepted: {sorted(set(statuses))}")
    return elapsed


def _stored(site):
    with site.app.app_context():
        return PreRegistration.select().count()


def crypto_seconds(site, records):
    """Seconds spent on ID-number encryption for these records, as ingest does it per record
    (a student row and a pre-registration: two encryptions, two blind indexes, two decryptions
    when the rows are read back)."""
    numbers = [r["data"]["id_number"] for r in records]
    with site.app.app_context():
        started = time.perf_counter()
        for number in numbers:
            for _ in range(2):
                id_crypto.decrypt(id_crypto.encrypt(number))
                id_crypto.blind_index(number)
        return time.perf_counter() - started


def measure(kind):
    """(baseline, batched, re-send, encryption) seconds for one database."""
    with environment.seeded_app(kind) as site:
        baseline = send(environment.signed_in_client(site), make_records(site.school_ids), 1)
    with environment.seeded_app(kind) as site:
        client = environment.signed_in_client(site)
        records = make_records(site.school_ids)
        batched = send(client, records, BATCH)
        resend = send(client, records, BATCH)
        if _stored(site) != RECORDS:
            raise RuntimeError("the re-send changed the number of stored records")
        crypto = crypto_seconds(site, records)
    return baseline, batched, resend, crypto


def run():
    kinds = ["sqlite"] + (["postgresql"] if environment.postgres_answers() else [])
    rows, checks = [], []
    for kind in kinds:
        baseline, batched, resend, crypto = measure(kind)
        rate = RECORDS / batched
        rows.append(
            (
                kind,
                f"{RECORDS / baseline:,.0f}",
                f"{rate:,.0f}",
                f"{baseline / batched:.1f}×",
                f"{RECORDS / resend:,.0f}",
                f"{batched / resend:.2f}×",
                f"{crypto / RECORDS * 1e6:,.0f} µs ({crypto / batched:.0%})",
            )
        )
        checks.append(
            Check(
                f"Ingest, {kind}, batches of {BATCH}",
                f"{rate:,.0f} records/s",
                f"≥ {TARGET:,} records/s",
                rate >= TARGET,
            )
        )
    skipped = "" if "postgresql" in kinds else " No PostgreSQL answered on 127.0.0.1:5432: SQLite only."
    method = (
        f"{RECORDS:,} valid pre-registrations (unique UUIDs and ID numbers, two schools) "
        f"posted to `/api/sync` through Flask's test client, signed in as outreach. "
        f"Baseline: the same records one per request, on its own fresh database. "
        f"Re-send: the same {RECORDS:,} again in batches of {BATCH} (every answer "
        f"`accepted`, nothing stored twice). Ratios: batched speed over baseline speed, "
        f"re-send speed over first-send speed. ID numbers are stored encrypted (AES-GCM) with a blind "
        f"index (HMAC): the last column is that work per record, timed alone, and its share of "
        f"the batched ingest time.{skipped}"
    )
    headers = [
        "Database",
        "Baseline, 1 per request (records/s)",
        f"Batches of {BATCH} (records/s)",
        "Batched / baseline",
        f"Re-send, batches of {BATCH} (records/s)",
        "Re-send / first send",
        "ID-number encryption per record (share of batched time)",
    ]
    return Section("Ingest through /api/sync", method, headers, rows, checks)
