"""Resident ID numbers are encrypted at rest: the raw rows hold none, while look-ups, the unique
rule, sign-in and exports still work; rotating the key re-encrypts every row; the migration
encrypts numbers stored before it."""

import csv
import io

import pytest
from peewee import IntegrityError

from tests.factories import (
    PASSWORD,
    make_accepted,
    make_centre,
    make_co_borrower,
    make_school,
    make_season,
    make_student,
    make_user,
    valid_id_number,
)
from webapp.db import database, migration_runner
from webapp.models import Guardian, PreRegistration, RosterEntry, Student, Ticket, utcnow
from webapp.services.desk import tickets
from webapp.services.ops.id_key_rotation import encrypted_columns

TABLES = ("student", "guardian", "pre_registration", "roster_entry", "ticket", "user")


def _raw_text(table):
    rows = database.execute_sql(f'SELECT * FROM "{table}"').fetchall()
    return " ".join(str(value) for row in rows for value in row)


@pytest.fixture
def numbers(app):
    """A student with a co-borrower, a school record, a roster row and a walk-in ticket."""
    centre = make_centre()
    school = make_school(centre)
    season = make_season(centre, year=2026)
    student = make_student(centre, name="欧阳娜")
    parent = make_co_borrower(student)
    make_accepted(student, season, co_borrower=parent)
    other = valid_id_number()
    PreRegistration.create(centre=centre, uuid="00000000-0000-4000-8000-0000000000aa", id_number=other,
                           name="钱多多", school=school, guardian_id_number=parent.id_number)  # fmt: skip
    RosterEntry.create(centre=centre, school=school, id_number=other, name="钱多多")
    desk = make_user(centre, role="desk", username="window")
    visitor = valid_id_number()
    with app.test_request_context():
        tickets.walk_in(centre, "first_loan", "孙来访", visitor, desk)
    return {"student": student.id_number, "parent": parent.id_number, "other": other, "visitor": visitor,
            "season": season, "centre": centre}  # fmt: skip


def test_the_raw_rows_hold_no_id_number(app, numbers):
    with app.app_context():
        for table in TABLES:
            text = _raw_text(table)
            for key in ("student", "parent", "other", "visitor"):
                assert numbers[key] not in text, (table, key)
    assert Student.get(Student.id_number_index == numbers["student"]).id_number == numbers["student"]
    assert Guardian.get(Guardian.is_co_borrower).id_number == numbers["parent"]
    record = PreRegistration.get(PreRegistration.id_number_index == numbers["other"])
    assert (record.id_number, record.guardian_id_number) == (numbers["other"], numbers["parent"])
    assert Ticket.get().visitor_id_number == numbers["visitor"]
    assert (
        Student.get(Student.id_number_index == numbers["student"].lower()).id_number_last4
        == numbers["student"][-4:]
    )


def test_comparing_the_encrypted_column_is_refused(app, numbers):
    with pytest.raises(TypeError, match="id_number_index"):
        Student.select().where(Student.id_number == numbers["student"])


def test_the_unique_rule_holds_on_the_index(app, numbers):
    with pytest.raises(IntegrityError), database.atomic():
        make_student(numbers["centre"], id_number=numbers["student"], with_account=False)


def test_sign_in_by_id_number_and_the_export_still_work(app, client, auth, numbers):
    assert auth.login(numbers["student"], PASSWORD).status_code == 302
    assert auth.login(numbers["student"].lower(), PASSWORD).status_code == 302
    auth.logout()
    make_user(numbers["centre"], role="admin", username="boss")
    auth.login("boss", PASSWORD)
    answer = client.get(f"/admin/exports/loans.csv?season={numbers['season'].id}")
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert numbers["student"] in rows[1] and numbers["parent"] in rows[1]


def test_rotating_the_key_reencrypts_every_row(app, client, auth, runner, numbers):
    with app.app_context():
        before = {table: _raw_text(table) for table in TABLES}
    result = runner.invoke(args=["id-numbers", "rotate"])
    assert result.exit_code == 0, result.output
    assert "Key k2 is current" in result.output
    with app.app_context():
        for model, field in encrypted_columns():
            stored = [
                v
                for (v,) in database.execute_sql(
                    f'SELECT "{field.column_name}" FROM "{model._meta.table_name}"'
                )
            ]
            assert all(v.startswith("k2:") for v in stored if v), (model, field)
        assert _raw_text("student") != before["student"]
    assert Student.get(Student.id_number_index == numbers["student"]).id_number == numbers["student"]
    assert PreRegistration.get().guardian_id_number == numbers["parent"]
    assert auth.login(numbers["student"], PASSWORD).status_code == 302


def test_the_migration_encrypts_numbers_stored_before_it(app):
    number = valid_id_number()
    centre_id = make_centre().id
    with app.app_context(), database.connection_context():
        runner = migration_runner()
        runner.down("0015_id_numbers_encrypted")
        database.execute_sql(
            f'INSERT INTO "student" ("centre_id", "id_number", "name", "birth_date", "sex", "mobile", '
            f'"class_name", "household_to_check", "created_at") VALUES ({", ".join([database.param] * 9)})',
            (centre_id, number, "旧同学", "2008-03-14", "M", "", "", False, utcnow()),
        )
        runner.up()
        assert number not in _raw_text("student")
        student = Student.get(Student.id_number_index == number)
        assert (student.id_number, student.id_number_last4) == (number, number[-4:])
