"""Admin pages are the admin's alone."""

import pytest

from tests.factories import (
    PASSWORD,
    make_student,
    make_user,
)

ADMIN_PAGES = [
    "/admin/seasons",
    "/admin/users",
    "/admin/schools",
    "/admin/centre",
    "/admin/exports",
    "/admin/audit",
    "/admin/duty",
    "/admin/rosters",
]


@pytest.mark.parametrize("role", ["desk", "leader", "outreach", "student"])
def test_admin_pages_refuse_other_roles(client, auth, centre, role):
    if role == "student":
        auth.login(make_student(centre).id_number, PASSWORD)
    else:
        auth.login(make_user(centre, role=role).username, PASSWORD)
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    allowed = 200 if role == "leader" else 403
    assert client.get("/admin/dashboard").status_code == allowed
    assert client.get("/admin/publicity").status_code == allowed
