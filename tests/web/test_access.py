"""Access rules: each role reaches its own pages; a student only ever sees their own data."""

import pytest

from tests.factories import PASSWORD, make_application, make_centre, make_season, make_student, make_user

STAFF_HOMES = {
    "admin": "/staff/admin",
    "leader": "/staff/leader",
    "outreach": "/staff/outreach",
    "desk": "/desk/",
}
LANDING = dict(STAFF_HOMES, outreach="/outreach/capture")


@pytest.fixture
def centre(app):
    centre = make_centre()
    make_season(centre)
    return centre


@pytest.mark.parametrize("role", sorted(STAFF_HOMES))
def test_each_staff_role_lands_on_its_home_and_is_refused_elsewhere(client, auth, centre, role):
    make_user(centre, role=role, username=f"the-{role}")
    response = auth.login(f"the-{role}", PASSWORD)
    assert response.headers["Location"].endswith(LANDING[role])
    assert client.get(STAFF_HOMES[role]).status_code == 200
    allowed = {
        "admin": {"admin", "leader"},
        "leader": {"leader", "desk"},
        "outreach": {"outreach"},
        "desk": {"desk"},
    }[role]
    for other, path in STAFF_HOMES.items():
        expected = 200 if other in allowed else 403
        assert client.get(path).status_code == expected, (role, path)
    assert client.get("/me/").status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, centre):
    for path in list(STAFF_HOMES.values()) + ["/me/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_student_cannot_read_another_students_data(client, auth, centre):
    season = centre.seasons.get()
    mine = make_student(centre, name="甲同学")
    other = make_student(centre, name="乙同学")
    my_app = make_application(mine, season, university="山西大学")
    other_app = make_application(other, season, university="太原理工大学")
    auth.login(mine.id_number, PASSWORD)
    assert "山西大学" in client.get(f"/me/applications/{my_app.id}").get_data(as_text=True)
    response = client.get(f"/me/applications/{other_app.id}")
    assert response.status_code == 404
    assert "太原理工大学" not in response.get_data(as_text=True)
    assert client.get(f"/staff/students/{other.id}").status_code == 403
    record = client.get("/me/").get_data(as_text=True)
    assert "甲同学" in record and "乙同学" not in record and other.id_number not in record


def test_staff_see_only_students_of_their_own_centre(client, auth, centre):
    elsewhere = make_centre(name="偏关县学生资助管理中心", region_code="140932")
    theirs = make_student(elsewhere, name="外县学生", with_account=False)
    ours = make_student(centre, name="本县学生", with_account=False)
    make_user(centre, role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    page = client.get(f"/staff/students/{ours.id}")
    assert page.status_code == 200 and ours.id_number not in page.get_data(as_text=True)
    assert client.get(f"/staff/students/{theirs.id}").status_code == 404


def test_logout_requires_post_and_signs_out(client, auth, centre):
    make_user(centre, role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    assert client.get("/logout").status_code == 405
    assert auth.logout().status_code == 302
    assert client.get("/desk/").status_code == 302
