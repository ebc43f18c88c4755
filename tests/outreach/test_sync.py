"""Sync of offline records: per-record answers, duplicates kept for review, the audit trail."""

import io
import json
from datetime import date

import pytest

from tests.factories import PASSWORD, make_centre, make_school, make_student, make_user, valid_id_number
from tests.http_helpers import csrf_token, sign_up
from tests.outreach_helpers import prereg, visit
from webapp.models import AuditEvent, PreRegistration, RosterEntry, SchoolVisit, Student
from webapp.services.outreach import prereg_review


@pytest.fixture
def setting(app):
    centre = make_centre()
    school = make_school(centre)
    outreach = make_user(centre, role="outreach", username="sun")
    return centre, school, outreach


def send(client, *records, device="device-A"):
    response = client.post("/api/sync", json={"device_id": device, "records": list(records)})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()["results"]


def test_valid_record_is_accepted_with_its_audit_trail(client, auth, setting):
    centre, school, outreach = setting
    auth.login("sun", PASSWORD)
    record = prereg(school, name="李雷", category=2)
    [result] = send(client, record)
    assert result == {
        "uuid": record["uuid"],
        "revision": 1,
        "status": "accepted",
        "errors": {},
        "server_revision": 1,
    }
    row = PreRegistration.get(PreRegistration.uuid == record["uuid"])
    assert (row.name, row.category, row.captured_by_id, row.device_id) == ("李雷", 2, outreach.id, "device-A")
    assert row.captured_at.isoformat() == "2026-06-10T02:30:00"
    assert row.student.name == "李雷" and row.student.school_id == school.id


def test_one_bad_record_never_blocks_the_good_ones(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    client.set_cookie("lang", "en")
    good, bad = prereg(school), prereg(school, id_number="140623200803141313", name="")
    results = send(client, good, bad, {"uuid": "not-a-uuid", "revision": 1})
    assert [r["status"] for r in results] == ["accepted", "invalid", "invalid"]
    assert "last character" in results[1]["errors"]["id_number"]
    assert "name" in results[1]["errors"]
    assert PreRegistration.get(PreRegistration.uuid == bad["uuid"]).status == "invalid"


def test_field_messages_follow_the_users_language(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    [result] = send(client, prereg(school, mobile="12345"))
    assert result["errors"]["mobile"].startswith("请输入 11 位大陆手机号码")


def test_same_revision_twice_is_stored_once(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    record = prereg(school)
    first = send(client, record)
    second = send(client, record)
    assert first == second
    assert PreRegistration.select().count() == 1


def test_newer_revision_updates_and_older_is_stale(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    first = prereg(school, name="王五")
    newer = dict(first, revision=2, data=dict(first["data"], name="王五一"))
    assert send(client, first)[0]["status"] == "accepted"
    assert send(client, newer)[0]["status"] == "accepted"
    assert send(client, first)[0] == {
        "uuid": first["uuid"],
        "revision": 1,
        "status": "stale",
        "errors": {},
        "server_revision": 2,
    }
    row = PreRegistration.get()
    assert (row.name, row.revision) == ("王五一", 2)
    assert AuditEvent.select().where(AuditEvent.action == "prereg.revised").count() == 1


def test_invalid_record_fixed_on_the_device_becomes_accepted(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    bad = prereg(school, id_number="140623200803141313")
    assert send(client, bad)[0]["status"] == "invalid"
    fixed = dict(bad, revision=2, data=dict(bad["data"], id_number=valid_id_number()))
    assert send(client, fixed)[0]["status"] == "accepted"
    row = PreRegistration.get()
    assert (row.status, row.revision, row.field_errors) == ("accepted", 2, "")


def test_two_devices_same_id_number_one_accepted_one_flagged(client, auth, setting):
    centre, school, _ = setting
    make_user(centre, role="outreach", username="li")
    number = valid_id_number()
    auth.login("sun", PASSWORD)
    assert send(client, prereg(school, id_number=number, name="赵六"), device="A")[0]["status"] == "accepted"
    auth.logout()
    auth.login("li", PASSWORD)
    second = prereg(school, id_number=number, name="赵六", mobile="13912345678")
    assert send(client, second, device="B")[0]["status"] == "possible_duplicate"
    rows = list(PreRegistration.select().order_by(PreRegistration.id))
    assert [r.status for r in rows] == ["accepted", "possible_duplicate"]
    assert rows[1].duplicate_of_id == rows[0].id
    assert Student.select().where(Student.id_number_index == number).count() == 1
    page = client.get("/outreach/review").get_data(as_text=True)
    assert "赵六" in page
    # the first device's record is untouched
    assert rows[0].mobile == ""


def test_a_refused_record_reads_as_a_labelled_table_with_only_the_decisions_it_allows(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    client.set_cookie("lang", "en")
    bad = prereg(
        school,
        name="欧阳娜",
        id_number="140623200803141313",
        guardian_name="欧阳建国",
        guardian_relation="father",
        category=2,
    )
    send(client, bad)
    row = PreRegistration.get(PreRegistration.uuid == bad["uuid"])
    page = client.get(f"/outreach/pre-registrations/{row.id}").get_data(as_text=True)
    assert "\\u" not in page
    assert "欧阳建国" in page
    assert school.name in page
    assert "Guardian&#39;s name" in page or "Guardian's name" in page
    assert "Father" in page and "last character" in page
    assert 'value="merge"' not in page and 'value="keep"' not in page and 'value="reject"' in page

    first, dup = prereg(school, id_number=valid_id_number()), None
    dup = prereg(school, id_number=first["data"]["id_number"])
    send(client, first, dup)
    row = PreRegistration.get(PreRegistration.uuid == dup["uuid"])
    page = client.get(f"/outreach/pre-registrations/{row.id}").get_data(as_text=True)
    assert 'value="merge"' in page and 'value="keep"' in page
    decision = page[page.find('name="action"') :]
    assert decision.find("Choose a decision") < decision.find('value="merge"')  # no default decision


def test_review_merge_fills_blanks_and_closes_the_duplicate(client, auth, setting):
    centre, school, _ = setting
    admin = make_user(centre, role="admin", username="boss")
    number = valid_id_number()
    auth.login("sun", PASSWORD)
    send(client, prereg(school, id_number=number), prereg(school, id_number=number, mobile="13912345678"))
    duplicate = PreRegistration.get(PreRegistration.status == "possible_duplicate")
    auth.logout()
    auth.login("boss", PASSWORD)
    url = f"/outreach/pre-registrations/{duplicate.id}"
    response = client.post(
        url, data={"action": "merge", "note": "同一人", "csrf_token": csrf_token(client, url)}
    )
    assert response.status_code == 302
    kept = PreRegistration.get_by_id(duplicate.duplicate_of_id)
    assert kept.mobile == "13912345678"
    merged = PreRegistration.get_by_id(duplicate.id)
    assert (merged.status, merged.reviewed_by_id) == ("merged", admin.id)
    auth.logout()
    auth.login("sun", PASSWORD)
    resend = send(client, prereg(school, record_uuid=merged.uuid, revision=2, id_number=number))
    assert resend[0]["status"] == "closed"


def test_review_keep_both_and_reject_need_the_right_state(app, setting):
    centre, school, outreach = setting
    number = valid_id_number()
    with app.test_request_context():
        from webapp.services.outreach.sync import ingest_batch

        ingest_batch(
            {
                "records": [
                    prereg(school, id_number=number),
                    prereg(school, id_number=number),
                    prereg(school, id_number="x"),
                ]
            },
            outreach,
        )
        by_status = {row.status: row for row in PreRegistration.select()}
        first, dup, bad = (by_status[s] for s in ("accepted", "possible_duplicate", "invalid"))
        prereg_review.keep_both(dup, outreach, "双胞胎录错号")
        assert PreRegistration.get_by_id(dup.id).status == "accepted"
        with pytest.raises(prereg_review.ReviewError):
            prereg_review.reject(bad, outreach, " ")
        prereg_review.reject(bad, outreach, "学生不存在")
        assert PreRegistration.get_by_id(bad.id).status == "rejected"
        with pytest.raises(prereg_review.ReviewError):
            prereg_review.merge(first, outreach)


def test_record_page_shows_who_captured_on_which_device(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    record = prereg(school, name="钱七")
    send(client, record, device="tablet-7")
    row = PreRegistration.get()
    page = client.get(f"/outreach/pre-registrations/{row.id}").get_data(as_text=True)
    assert "tablet-7" in page and "sun" in page and "2026" in page


def test_list_filters_by_school_category_status_and_staff(client, auth, setting):
    centre, school, _ = setting
    other_school = make_school(centre, name="右玉县职业中学", kind="vocational")
    auth.login("sun", PASSWORD)
    send(
        client,
        prereg(school, name="甲", category=1),
        prereg(other_school, name="乙", category=0),
        prereg(school, name="丙", id_number="bad"),
    )

    def names(**query):
        html = client.get("/outreach/pre-registrations", query_string=query).get_data(as_text=True)
        return {n for n in ("甲", "乙", "丙") if f">{n}</a>" in html}

    assert names() == {"甲", "乙", "丙"}
    assert names(school=other_school.id) == {"乙"}
    assert names(category=1) == {"甲"}
    assert names(status="invalid") == {"丙"}
    assert names(captured_by=999) == set()
    # an unknown category is no filter; a page that is not a number is refused with a message
    assert client.get("/outreach/pre-registrations?category=9").status_code == 200
    garbage = client.get("/outreach/pre-registrations?page=abc")
    assert garbage.status_code == 400 and "page" in garbage.get_data(as_text=True)


def test_roster_match_by_id_number(client, auth, setting):
    centre, school, _ = setting
    number = valid_id_number()
    entry = RosterEntry.create(centre=centre, school=school, id_number=number, name="孙八")
    auth.login("sun", PASSWORD)
    send(client, prereg(school, id_number=number, name="孙八"))
    assert PreRegistration.get().roster_entry_id == entry.id


def test_school_visits_sync_idempotently(client, auth, setting):
    _, school, _ = setting
    auth.login("sun", PASSWORD)
    record = visit(school, leaflets=300)
    assert send(client, record)[0]["status"] == "accepted"
    assert send(client, record)[0]["status"] == "accepted"
    bad = visit(school, visited_on="2999-01-01", leaflets=-1)
    assert send(client, bad)[0]["status"] == "invalid"
    assert SchoolVisit.select().count() == 1 and SchoolVisit.get().leaflets == 300
    assert "300" in client.get("/outreach/visits").get_data(as_text=True)


def test_records_of_another_centre_or_school_are_refused(client, auth, setting):
    _, school, _ = setting
    elsewhere = make_centre(name="偏关县学生资助管理中心", region_code="140932")
    foreign_school = make_school(elsewhere, name="偏关中学")
    auth.login("sun", PASSWORD)
    [result] = send(client, prereg(foreign_school))
    assert result["status"] == "invalid" and "school_id" in result["errors"]


def test_pre_registered_student_later_signs_up_and_is_linked(client, auth, setting):
    _, school, _ = setting
    number = valid_id_number()
    auth.login("sun", PASSWORD)
    send(client, prereg(school, id_number=number, name="周九", category=1, mobile="13911112222"))
    auth.logout()
    signup = {
        "id_number": number,
        "name": "周九",
        "mobile": "13911112222",
        "password": "long-enough",
        "confirm": "long-enough",
    }
    assert sign_up(client, **signup).status_code == 302
    page = client.get("/me/").get_data(as_text=True)
    assert "已在学校完成预申请" in page and "（1 · 脱贫家庭(享受政策)学生" in page


def test_a_school_record_without_a_mobile_is_the_students_once_they_prove_theirs(client, auth, setting):
    _, school, _ = setting
    number = valid_id_number()
    auth.login("sun", PASSWORD)
    send(client, prereg(school, id_number=number, name="周十", category=1))
    auth.logout()
    signup = {"id_number": number, "name": "周十", "mobile": "13911113333", "password": "long-enough",
              "confirm": "long-enough"}  # fmt: skip
    assert sign_up(client, **signup).status_code == 302
    page = client.get("/me/").get_data(as_text=True)
    assert "（1 · 脱贫家庭(享受政策)学生" in page and "户口本" not in page


def test_exported_file_imports_with_the_same_rules(client, auth, setting):
    centre, school, outreach = setting
    make_user(centre, role="admin", username="boss")
    already = prereg(school)
    auth.login("sun", PASSWORD)
    send(client, already)
    auth.logout()
    export = {
        "format": "studentloan-outbox",
        "version": 1,
        "device_id": "phone-3",
        "owner": "sun",
        "records": [already, prereg(school), prereg(school, name="")],
    }
    auth.login("boss", PASSWORD)
    response = client.post(
        "/outreach/import",
        data={
            "file": (io.BytesIO(json.dumps(export).encode()), "unsent.json"),
            "csrf_token": csrf_token(client, "/outreach/import"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert PreRegistration.select().count() == 3
    assert PreRegistration.select().where(PreRegistration.captured_by == outreach).count() == 3
    assert PreRegistration.select().where(PreRegistration.status == "invalid").count() == 1
    garbage = client.post(
        "/outreach/import",
        data={
            "file": (io.BytesIO(b"\xff\xfe not json"), "unsent.json"),
            "csrf_token": csrf_token(client, "/outreach/import"),
        },
        content_type="multipart/form-data",
    )
    assert garbage.status_code == 422


def test_an_exported_file_goes_in_batches_as_the_import_page_sends_them(client, auth, setting):
    centre, school, outreach = setting
    make_user(centre, role="admin", username="boss")
    auth.login("boss", PASSWORD)
    token = csrf_token(client, "/outreach/import")
    envelope = {"format": "studentloan-outbox", "version": 1, "device_id": "phone-3", "owner": "sun"}
    headers = {"X-CSRFToken": token}
    batch = client.post("/outreach/import/batch", json={**envelope, "records": [prereg(school) for _ in range(3)]},
                        headers=headers)  # fmt: skip
    assert batch.status_code == 200 and [r["status"] for r in batch.get_json()["results"]] == ["accepted"] * 3
    assert PreRegistration.select().where(PreRegistration.captured_by == outreach).count() == 3
    too_many = client.post(
        "/outreach/import/batch", json={**envelope, "records": [{}] * 201}, headers=headers
    )
    assert too_many.status_code == 413 and too_many.get_json()["error"] == "bad_batch"
    for body in ([1, 2], {"format": "other", "records": []}, {"records": "x" * 500}):
        answer = client.post("/outreach/import/batch", json=body, headers=headers)
        assert answer.status_code == 400 and answer.get_json()["message"]
    assert (
        client.post("/outreach/import/batch", json={**envelope, "records": []}).status_code == 400
    )  # no token


def test_capture_page_reference_data_and_worker(client, auth, setting):
    centre, school, _ = setting
    RosterEntry.create(centre=centre, school=school, id_number=valid_id_number(), name="吴十")
    auth.login("sun", PASSWORD)
    page = client.get("/outreach/capture")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    reference = client.get("/outreach/reference.json").get_json()
    assert reference["schools"] == [{"id": school.id, "name": school.name, "kind": "general"}]
    [row] = reference["rosters"][str(school.id)]
    assert row[1] == "吴十" and len(row[0]) == 4  # the last four characters, never the whole number
    assert not any(len(value) == 18 for value in row)
    regions = client.get("/outreach/regions.json").get_json()
    assert "0623" in regions["14"].split()
    worker = client.get("/sw.js")
    assert worker.mimetype == "text/javascript"
    body = worker.get_data(as_text=True)
    assert body.startswith("const SHELL_VERSION = ") and '"/outreach/capture"' in body


def test_visit_rules(app, setting):
    from webapp.services.outreach.prereg_rules import clean_school_visit

    centre, school, _ = setting
    with app.test_request_context():
        _, errors = clean_school_visit(
            {"school_id": school.id, "visited_on": "2026-06-01", "leaflets": "12", "students_reached": 3},
            centre,
            today=date(2026, 6, 2),
        )
        assert errors == {}
        _, errors = clean_school_visit(
            {"school_id": "x", "visited_on": "yesterday", "leaflets": True, "students_reached": 10**9}, centre
        )
        assert set(errors) == {"school_id", "visited_on", "leaflets", "students_reached"}


def test_desk_and_students_cannot_sync(client, auth, setting):
    centre, school, _ = setting
    make_user(centre, role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    response = client.post("/api/sync", json={"records": [prereg(school)]})
    assert response.status_code == 403 and response.is_json
    auth.logout()
    student = make_student(centre)
    auth.login(student.id_number, PASSWORD)
    assert client.get("/outreach/capture").status_code == 403
