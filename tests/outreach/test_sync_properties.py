"""Sync is idempotent whatever the network does: random batches with repeats, reorders, stale
revisions and invalid records leave exactly one server record per UUID holding its newest valid
revision (docs/domain.md section 5). Plus the HTTP envelope of POST /api/sync."""

import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD, make_centre, make_school, make_user, valid_id_number
from webapp.models import AuditEvent, PreRegistration, Student
from webapp.services.outreach.sync import MAX_BATCH, ingest_batch

NAMES = ("张三", "李四", "王小五", "欧阳娜娜")
INVALID_KINDS = ("bad_id_number", "no_name", "bad_category")


@pytest.fixture
def outreach(app):
    """An outreach worker of a centre with one school: (user, school)."""
    centre = make_centre()
    school = make_school(centre)
    return make_user(centre, role="outreach"), school


def _id_number(sequence):
    """Fixed birth date: the same draw must give the same number when hypothesis replays it."""
    return valid_id_number(birth=date(2008, 3, 14), sequence=f"{sequence:03d}")


@st.composite
def revision_data(draw, school_id):
    """(valid?, data) for one revision; the ID number is drawn from a small pool so that it
    sometimes changes between revisions and sometimes repeats across records."""
    data = {
        "school_id": school_id,
        "name": draw(st.sampled_from(NAMES)),
        "id_number": _id_number(draw(st.integers(0, 12))),
        "category": draw(st.integers(0, 4)),
    }
    if draw(st.booleans()):
        return True, data
    kind = draw(st.sampled_from(INVALID_KINDS))
    if kind == "bad_id_number":
        last = data["id_number"][-1]
        data["id_number"] = data["id_number"][:-1] + ("0" if last != "0" else "1")
    elif kind == "no_name":
        data["name"] = ""
    else:
        data["category"] = 9
    return False, data


@st.composite
def scenarios(draw, school_id):
    """Revisions per UUID, and the batches the device sends them in.

    Every revision is sent at least once and up to three times, always with the same content
    (a device never changes a revision once written); the stream is shuffled and cut into
    batches of random sizes.
    """
    uuids = draw(st.lists(st.uuids(version=4), min_size=1, max_size=5, unique=True))
    revisions = {}
    for record_uuid in uuids:
        numbers = draw(st.sets(st.integers(1, 8), min_size=1, max_size=4))
        for number in sorted(numbers):
            revisions[(str(record_uuid), number)] = draw(revision_data(school_id))
    stream = [key for key in revisions for _copy in range(draw(st.integers(1, 3)))]
    stream = draw(st.permutations(stream))
    cuts = sorted(draw(st.sets(st.integers(1, len(stream) - 1)))) if len(stream) > 1 else []
    bounds = [0] + cuts + [len(stream)]
    batches = [stream[a:b] for a, b in itertools.pairwise(bounds)]
    return revisions, batches


def _record(key, revisions):
    record_uuid, revision = key
    return {
        "uuid": record_uuid,
        "revision": revision,
        "kind": "pre_registration",
        "data": dict(revisions[key][1]),
    }


def _start_clean():
    """Each example begins with no records, so expectations can be computed per example."""
    PreRegistration.delete().execute()
    AuditEvent.delete().execute()
    Student.delete().execute()


@settings(max_examples=75, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_delivery_order_leaves_one_record_per_uuid_at_its_newest_valid_revision(app, outreach, data):
    user, school = outreach
    revisions, batches = data.draw(scenarios(school.id))
    newest_valid_sent = {}
    with app.test_request_context():
        _start_clean()
        for batch in batches:
            records = [_record(key, revisions) for key in batch]
            results = ingest_batch({"records": records}, user)
            assert [(r.uuid, r.revision) for r in results] == list(batch)
            for key, result in zip(batch, results, strict=True):
                record_uuid, revision = key
                if revisions[key][0]:
                    # A valid revision is stale exactly when a newer valid one got there first.
                    newest = newest_valid_sent.get(record_uuid, 0)
                    expected = ("stale",) if revision < newest else ("accepted", "possible_duplicate")
                    assert result.status in expected, (key, result, newest)
                    newest_valid_sent[record_uuid] = max(newest, revision)
                else:
                    assert result.status in ("invalid", "stale"), (key, result)

        uuids = {record_uuid for record_uuid, _revision in revisions}
        assert PreRegistration.select().count() == len(uuids)
        for record_uuid in uuids:
            rows = list(PreRegistration.select().where(PreRegistration.uuid == record_uuid))
            assert len(rows) == 1
            row = rows[0]
            valid = [n for (u, n), (ok, _d) in revisions.items() if u == record_uuid and ok]
            if not valid:
                assert row.status == "invalid"
                continue
            newest = max(valid)
            sent = revisions[(record_uuid, newest)][1]
            assert row.status in ("accepted", "possible_duplicate")
            assert (row.revision, row.name, row.id_number, row.category) == (
                newest,
                sent["name"],
                sent["id_number"],
                sent["category"],
            )


def _payload(school_id, numbers):
    records = [
        {
            "uuid": f"00000000-0000-4000-8000-{i:012d}",
            "revision": 1,
            "kind": "pre_registration",
            "data": {"school_id": school_id, "name": "张三", "id_number": number, "category": 1},
        }
        for i, number in enumerate(numbers, start=1)
    ]
    records.append(
        {
            "uuid": "00000000-0000-4000-8000-000000000999",
            "revision": 1,
            "kind": "pre_registration",
            "data": {"school_id": school_id, "name": ""},
        }
    )
    return {"device_id": "phone-1", "records": records + records[:1]}


def test_a_lost_answer_is_harmless_when_the_batch_is_sent_again(client, auth, outreach):
    user, school = outreach
    payload = _payload(school.id, [_id_number(1), _id_number(2), _id_number(2)])
    auth.login(user.username, PASSWORD)
    client.post("/api/sync", json=payload)
    again = client.post("/api/sync", json=payload)
    assert again.status_code == 200
    statuses = [r["status"] for r in again.get_json()["results"]]
    assert statuses == ["accepted", "accepted", "possible_duplicate", "invalid", "accepted"]
    assert PreRegistration.select().count() == 4
    assert Student.select().count() == 2
    third = client.post("/api/sync", json=payload)
    assert [r["status"] for r in third.get_json()["results"]] == statuses


def test_the_endpoint_refuses_what_it_cannot_take(client, auth, outreach):
    user, school = outreach
    signed_out = client.post("/api/sync", json={"records": []})
    assert signed_out.status_code == 401 and signed_out.get_json()["error"] == "unauthorized"

    auth.login(user.username, PASSWORD)
    assert client.post("/api/sync", data="records", content_type="text/plain").status_code == 415
    too_many = {"records": _payload(school.id, [_id_number(3)])["records"][:1] * (MAX_BATCH + 1)}
    response = client.post("/api/sync", json=too_many)
    assert response.status_code == 413 and response.get_json()["error"] == "bad_batch"
    assert PreRegistration.select().count() == 0


def test_desk_staff_cannot_sync(client, auth, outreach):
    user, school = outreach
    desk = make_user(user.centre, role="desk")
    auth.login(desk.username, PASSWORD)
    response = client.post("/api/sync", json=_payload(school.id, [_id_number(4)]))
    assert response.status_code == 403
    assert PreRegistration.select().count() == 0
