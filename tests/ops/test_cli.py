"""seed-demo, backup and the staff/student pages the demo data feeds."""

import sqlite3
from urllib.parse import urlsplit, urlunsplit

import psycopg2
import pytest

from tests.databases import PG_URL, truncate_postgres
from tests.http_helpers import csrf_token
from webapp import create_app
from webapp.db import is_sqlite
from webapp.models import Application, Centre, School, Season, Student, User
from webapp.services.booking import quotas
from webapp.services.ops import backup as backups
from webapp.services.ops.demo import DEMO_PASSWORD, HALL, STUDENTS, demo_id_number


def test_seed_demo_loads_once_and_prints_sign_ins(runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0 and "demo data loaded" in first.output
    assert "admin" in first.output and DEMO_PASSWORD in first.output
    second = runner.invoke(args=["seed-demo"])
    assert "already present" in second.output
    assert Centre.select().count() == 1
    season = Season.get()
    assert (
        season.cap_undergraduate,
        quotas.places(season, "first_loan", "morning"),
        quotas.places(season, "renewal", "afternoon"),
    ) == (20000, 30, 30)
    assert sorted(s.kind for s in School.select()) == ["general", "vocational"]
    assert {u.role for u in User.select()} == {"admin", "leader", "outreach", "desk", "province", "student"}
    assert Student.select().count() == len(STUDENTS) + len(HALL)


def test_demo_students_see_where_they_stand(client, runner):
    runner.invoke(args=["seed-demo"])
    expected = {
        "signed_up": "尚未预申请",
        "pre_registered": "已在学校完成预申请",
        "draft": "申请尚未填完",
        "booked": "已预约",
        "certificate": "受理证明已开具",
        "renewal_due": "待办理续贷",
        "renewal_sent": "续贷声明已提交",
        "new_stage": "原贷款的学制已结束",
    }
    for _name, birth, seq, _mobile, stage in STUDENTS:
        client.post(
            "/login",
            data={
                "identifier": demo_id_number(birth, seq),
                "password": DEMO_PASSWORD,
                "csrf_token": csrf_token(client, "/login"),
            },
        )
        page = client.get("/me/").get_data(as_text=True)
        assert expected[stage] in page, stage
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    assert Application.select().count() == 3 + 2 + 1 + 1 + len(HALL)  # and the morning's hall


def test_backup_is_a_consistent_copy(app, runner, tmp_path):
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    with app.app_context():
        sqlite = is_sqlite()
    assert result.exit_code == 0, result.output
    written = next((tmp_path / "backups").glob("studentloan-*"))
    assert written.stat().st_mode & 0o777 == 0o600  # the owner's alone, whichever database
    if not sqlite:
        assert written.stat().st_size > 0
        return
    copy = next((tmp_path / "backups").glob("studentloan-*.sqlite3"))
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM student").fetchone()[0] == len(STUDENTS) + len(HALL)


def test_the_demo_admin_reconciles_yesterdays_national_list(client, auth, runner):
    runner.invoke(args=["seed-demo"])
    auth.login("admin", DEMO_PASSWORD)
    page = client.get("/admin/national/reconciliation").get_data(as_text=True)
    assert "秦月" in page  # in the national list only
    assert "<dd>1</dd>" in page  # 陈静's loan matches
    confirmations = client.get("/admin/national/confirmations").get_data(as_text=True)
    assert "陈静" in confirmations and "山西大学" in confirmations  # accepted, not yet confirmed


@pytest.fixture
def postgres_app(postgres_url, tmp_path):
    """The app on the suite's PostgreSQL database, emptied, beside an empty scratch database."""
    truncate_postgres(postgres_url)
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": postgres_url,
            "INSTANCE_PATH": str(tmp_path / "i"),
            "SECRET_KEY": "x",
        }
    )
    live = urlsplit(postgres_url)
    name = live.path.lstrip("/") + "_restore_drill"
    admin = psycopg2.connect(urlunsplit(("postgresql", live.netloc, "/postgres", "", "")))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute(f'CREATE DATABASE "{name}"')
    yield app, urlunsplit(("postgresql", live.netloc, "/" + name, "", ""))
    with admin.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (TEST_DATABASE_URL); CI requires it")
def test_postgres_backup_and_restore_drill(postgres_app, tmp_path):
    app, scratch = postgres_app
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo"])
    result = runner.invoke(args=["backup", str(tmp_path / "backups")])
    assert result.exit_code == 0, result.output
    dump = next((tmp_path / "backups").glob("studentloan-*.dump"))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert dump.stat().st_mode & 0o777 == 0o600

    result = runner.invoke(args=["restore", str(dump), "--into", scratch])
    assert result.exit_code == 0, result.output
    assert "(live now:" not in result.output
    live, restored = backups.row_counts(app.config["DATABASE_URL"]), backups.row_counts(scratch)
    assert restored == live
    assert restored["student"] == len(STUDENTS) + len(HALL) and restored["schema_migration"] > 0

    again = runner.invoke(args=["restore", str(dump), "--into", scratch])
    assert again.exit_code != 0 and "already has tables" in again.output
    into_live = runner.invoke(args=["restore", str(dump), "--into", app.config["DATABASE_URL"]])
    assert into_live.exit_code != 0 and "not the one the app serves" in into_live.output


def test_the_demos_loans_export_has_every_submission_day(app, runner):
    runner.invoke(args=["seed-demo"])
    from flask_babel import force_locale

    from webapp.services.reports import exports

    with app.test_request_context():
        season = Season.get(Season.is_current == True)  # noqa: E712
        rows = list(exports.accepted_loans(season))
        with force_locale("en"):
            submitted = [str(c) for c in exports.LOAN_COLUMNS].index("Submitted on")
    assert rows and all(row[submitted] for row in rows), rows
