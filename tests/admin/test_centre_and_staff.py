"""The centre's details, its staff accounts and its schools."""

from tests.admin.admin_helpers import post
from tests.factories import (
    PASSWORD,
)
from webapp.models import (
    School,
    User,
)


def test_the_centre_details_are_saved(client, admin, centre):
    assert post(client, "/admin/centre", name=" ", name_en="", address="", phone="").status_code == 422
    assert (
        post(
            client,
            "/admin/centre",
            name="右玉县学生资助管理中心",
            name_en="Youyu",
            address="右玉县新城镇政府街 1 号",
            phone="0349-8123456",
        ).status_code
        == 302
    )
    assert centre.__class__.get_by_id(centre.id).phone == "0349-8123456"


def test_staff_accounts_created_deactivated_and_reset(client, auth, admin, centre):
    created = post(client, "/admin/users", username="wang.desk", name="王窗口", role="desk")
    html = created.get_data(as_text=True)
    user = User.get(User.username == "wang.desk")
    password = html.split('<strong class="code">')[1].split("<")[0]
    assert created.status_code == 200 and len(password) == 12
    assert post(client, "/admin/users", username="wang.desk", name="重名", role="desk").status_code == 409
    assert post(client, "/admin/users", username="x", name="名", role="king").status_code == 422
    assert post(client, "/admin/users", username="x", name="名", role="desk").status_code == 422
    # the README's example: two letters make a username
    assert post(client, "/admin/users", username="li", name="李外联", role="outreach").status_code == 200
    assert post(client, f"/admin/users/{admin.id}/deactivate", "/admin/users").status_code == 409
    assert post(client, f"/admin/users/{user.id}/deactivate", "/admin/users").status_code == 302
    auth.logout()
    assert auth.login("wang.desk", password).status_code != 302  # deactivated: no sign-in
    auth.login(admin.username, PASSWORD)
    post(client, f"/admin/users/{user.id}/activate", "/admin/users")
    reset = post(client, f"/admin/users/{user.id}/reset-password", "/admin/users").get_data(as_text=True)
    new_password = reset.split('<strong class="code">')[1].split("<")[0]
    auth.logout()
    assert auth.login("wang.desk", new_password).status_code == 302
    assert User.get_by_id(user.id).centre_id == centre.id


def test_schools_are_added_and_deactivated_never_deleted(client, admin, centre):
    assert (
        post(
            client,
            "/admin/schools",
            name="右玉县第二中学",
            kind="general",
            code="YY03",
            address="",
            contact="",
        ).status_code
        == 302
    )
    assert (
        post(
            client, "/admin/schools", name="右玉县第二中学", kind="general", code="", address="", contact=""
        ).status_code
        == 422
    )
    school = School.get()
    post(client, f"/admin/schools/{school.id}/deactivate", "/admin/schools")
    assert School.get_by_id(school.id).active is False
