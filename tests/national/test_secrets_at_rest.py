"""What the database no longer keeps in clear: a national list waiting for its column mapping is
sealed and gone within the hour, and the migration masks old one-time codes and drops old uploads."""

import io
import json
from datetime import timedelta

from tests.factories import make_centre, make_season, make_student, make_user
from webapp.db import database, migration_runner
from webapp.models import AuditEvent, Message, PendingUpload, utcnow
from webapp.services.jobs.periodic import forget_stale_uploads
from webapp.services.national import national_lists


def csv_of(student):
    return f"姓名,身份证号,合同编号\n{student.name},{student.id_number},HT-0001\n".encode()


def test_a_waiting_upload_is_sealed_and_still_previewed(app):
    centre = make_centre()
    season, admin = make_season(centre, year=2026), make_user(centre, role="admin")
    student = make_student(centre)
    with app.test_request_context():
        upload = national_lists.hold_upload(
            centre, season, "contracts", "list.csv", io.BytesIO(csv_of(student)), admin
        )
        stored = bytes(PendingUpload.get_by_id(upload.id).data)
        assert student.id_number.encode() not in stored and b"HT-0001" not in stored
        preview = national_lists.preview(PendingUpload.get_by_id(upload.id))
    assert preview.titles == ["姓名", "身份证号", "合同编号"] and preview.rows[0][1] == student.id_number


def test_an_upload_left_waiting_is_deleted_by_the_timer(app):
    centre = make_centre()
    season, admin = make_season(centre, year=2026), make_user(centre, role="admin")
    with app.test_request_context():
        old = national_lists.hold_upload(
            centre, season, "contracts", "a.csv", io.BytesIO(csv_of(make_student(centre))), admin
        )
        fresh = national_lists.hold_upload(
            centre, season, "contracts", "b.csv", io.BytesIO(csv_of(make_student(centre))), admin
        )
    PendingUpload.update(uploaded_at=utcnow() - timedelta(minutes=61)).where(
        PendingUpload.id == old.id
    ).execute()
    assert forget_stale_uploads.call_local() == 1
    assert [u.id for u in PendingUpload.select()] == [fresh.id]


def test_the_migration_masks_old_codes_and_drops_old_uploads(app):
    centre = make_centre()
    season, admin = make_season(centre, year=2026), make_user(centre, role="admin")
    for provider, code in (("aliyun", "482913"), ("log", "135790")):
        Message.create(centre=centre, to_mobile="13800000004", template="verification_code",
                       params=json.dumps({"code": code}), provider=provider)  # fmt: skip
    PendingUpload.create(centre=centre, season=season, kind="contracts", token="t" * 32, data=b"clear",
                         uploaded_by=admin)  # fmt: skip
    AuditEvent.create(centre=centre, action="account.login", object_type="User", object_id=f"{admin.id}-k3y",
                      details="{}")  # fmt: skip
    with app.app_context(), database.connection_context():
        runner = migration_runner()
        name = "0025_secrets_at_rest"
        assert runner.down(name) == [name]
        assert runner.up() == [name]
    kept = {m.provider: json.loads(m.params)["code"] for m in Message.select()}
    assert kept == {"aliyun": "******", "log": "135790"}
    assert not PendingUpload.select().exists()
    assert [e.object_id for e in AuditEvent.select().where(AuditEvent.object_type == "User")] == [
        str(admin.id)
    ]


def test_an_audit_entry_about_an_account_never_carries_its_sign_in_key(app, client, auth):
    from tests.factories import PASSWORD

    user = make_user(make_centre(), role="desk", username="window9")
    auth.login("window9", PASSWORD)
    entry = AuditEvent.get((AuditEvent.action == "account.login") & (AuditEvent.object_type == "User"))
    assert entry.object_id == str(user.id)
