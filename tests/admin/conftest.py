"""The admin's centre and the admin signed in, for every admin test."""

import pytest

from tests.factories import (
    PASSWORD,
    make_centre,
    make_user,
)


@pytest.fixture
def centre(app):
    return make_centre(name="右玉县学生资助管理中心", address="右玉县新城镇", phone="0349-8000000")


@pytest.fixture
def admin(client, auth, centre):
    user = make_user(centre, role="admin", name="赵管理")
    auth.login(user.username, PASSWORD)
    client.set_cookie("lang", "en")
    return user
