"""The cookie that tells the offline page who just signed in (webapp/device_identity.py)."""

import json
from urllib.parse import unquote

import pytest

from tests.factories import PASSWORD, make_centre, make_user
from webapp.device_identity import COOKIE


@pytest.fixture
def centre(app):
    return make_centre()


def told(client):
    cookie = client.get_cookie(COOKIE)
    return json.loads(unquote(cookie.value)) if cookie else None


def test_a_capturer_signing_in_is_named_and_signing_out_clears_it(client, auth, centre):
    make_user(centre, role="outreach", username="sun", name="孙老师")
    auth.login("sun", PASSWORD)
    client.get("/outreach/capture")
    assert told(client) == {"user": "sun", "name": "孙老师"}
    set_cookie = client.get("/outreach/capture").headers.get("Set-Cookie", "")
    assert COOKIE not in set_cookie  # said once, not on every page
    auth.logout()
    assert told(client) is None


def test_the_next_person_replaces_the_one_before(client, auth, centre):
    make_user(centre, role="outreach", username="sun")
    make_user(centre, role="outreach", username="li", name="李老师")
    auth.login("sun", PASSWORD)
    client.get("/outreach/capture")
    client.delete_cookie("session")  # the session ended without a sign-out
    auth.login("li", PASSWORD)
    client.get("/outreach/capture")
    assert told(client)["user"] == "li"


def test_staff_who_do_not_capture_and_students_are_not_named(client, auth, centre):
    make_user(centre, role="desk", username="desk1")
    auth.login("desk1", PASSWORD)
    client.get("/desk/")
    assert told(client) is None
