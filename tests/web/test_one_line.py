"""A name is one line wherever it is entered, and a name that has a line break already (an
older record) no longer breaks the exports that carry it."""

import pytest

from tests.factories import PASSWORD, make_centre, make_school, make_user
from tests.http_helpers import csrf_token
from webapp.models import School
from webapp.services.outreach.prereg_rules import clean_pre_registration


@pytest.fixture
def admin(app, client, auth):
    centre = make_centre()
    user = make_user(centre, role="admin", username="boss")
    auth.login(user.username, PASSWORD)
    client.set_cookie("lang", "en")
    return user


@pytest.mark.parametrize("name", ["右玉\n一中", "右玉\r\n一中", "右玉\u2028一中"])
def test_a_school_name_with_a_line_break_is_refused(client, admin, name):
    token = csrf_token(client, "/admin/schools")
    answer = client.post(
        "/admin/schools", data={"name": name, "kind": "general", "code": "", "csrf_token": token}
    )
    assert answer.status_code == 422 and "One line only" in answer.get_data(as_text=True)
    assert not School.select().where(School.name == name).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_older_name_with_a_line_break_still_exports(client, admin, fmt):
    school = make_school(admin.centre, name="右玉\n第一中学")
    answer = client.get(f"/admin/exports/pre_registrations.{fmt}?school={school.id}")
    assert answer.status_code == 200
    disposition = answer.headers["Content-Disposition"]
    assert "\n" not in disposition and "pre-registrations" in disposition


def test_an_offline_record_with_a_line_break_in_a_name_is_refused(app):
    centre = make_centre()
    school = make_school(centre)
    with app.test_request_context():
        _clean, errors = clean_pre_registration(
            {"school_id": school.id, "name": "张\n三", "id_number": "14062320080314131X"}, centre
        )
    assert "name" in errors
