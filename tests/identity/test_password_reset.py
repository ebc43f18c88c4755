"""A forgotten password: a code texted to the account's mobile (sign-up's codes, limits and log),
the same answers for a known and an unknown number, and every other session of the account ended."""

import pytest

from tests.factories import PASSWORD, make_centre, make_student, make_user
from tests.http_helpers import code_sent_to, csrf_token
from webapp.models import AuditEvent, Message, OneTimeCode

MOBILE = "13955550001"
NEW = "a new long phrase"


@pytest.fixture
def student(app):
    centre = make_centre()
    return make_student(centre, name="周同学", mobile=MOBILE)


def ask(client, mobile):
    token = csrf_token(client, "/login/forgot")
    return client.post("/login/forgot", data={"mobile": mobile, "send_code": "1", "csrf_token": token})


def reset(client, mobile, code, password=NEW, confirm=None):
    data = {"mobile": mobile, "code": code, "password": password, "confirm": confirm or password}
    data["csrf_token"] = csrf_token(client, "/login/forgot")
    return client.post("/login/forgot", data=data)


def test_a_student_sets_a_new_password_and_every_other_session_ends(app, client, auth, student):
    elsewhere = app.test_client()
    token = csrf_token(elsewhere, "/login")
    elsewhere.post("/login", data={"identifier": MOBILE, "password": PASSWORD, "csrf_token": token})
    assert elsewhere.get("/me/").status_code == 200
    client.set_cookie("lang", "en")
    assert "Forgot your password?" in client.get("/login").get_data(as_text=True)
    asked = ask(client, MOBILE)
    assert asked.status_code == 200 and "a code is on its way" in asked.get_data(as_text=True)
    done = reset(client, MOBILE, code_sent_to(MOBILE))
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    assert elsewhere.get("/me/").status_code == 302  # the old session is over
    assert auth.login(MOBILE, PASSWORD).status_code == 401
    assert auth.login(MOBILE, NEW).status_code == 302
    assert AuditEvent.select().where(AuditEvent.action == "account.password_forgotten").count() == 1
    assert reset(app.test_client(), MOBILE, code_sent_to(MOBILE), "another long phrase").status_code == 422


def test_a_known_and_an_unknown_number_are_answered_alike(client, student):
    client.set_cookie("lang", "en")
    known, unknown = ask(client, MOBILE), ask(client, "13955559999")
    assert known.status_code == unknown.status_code == 200
    for answer in (known, unknown):
        assert "If an account signs in with this number, a code is on its way" in answer.get_data(
            as_text=True
        )
    assert not Message.select().where(Message.to_mobile == "13955559999").exists()
    # the limits are the same for both: one code a minute per number
    assert ask(client, MOBILE).status_code == ask(client, "13955559999").status_code == 429
    refused = reset(client, "13955559999", "123456")
    assert refused.status_code == 422
    assert "Ask for a code" in refused.get_data(as_text=True)


def test_a_wrong_code_and_a_weak_password_are_refused_without_spending_the_code(client, auth, student):
    client.set_cookie("lang", "en")
    ask(client, MOBILE)
    code = code_sent_to(MOBILE)
    wrong = "000000" if code != "000000" else "111111"
    assert reset(client, MOBILE, wrong).status_code == 422
    weak = reset(client, MOBILE, code, password="password")
    assert weak.status_code == 422 and "first ones guessed" in weak.get_data(as_text=True)
    assert reset(client, MOBILE, code, confirm="something else entirely").status_code == 422
    assert OneTimeCode.get().used_at is None
    assert reset(client, MOBILE, code).status_code == 302
    assert auth.login(MOBILE, NEW).status_code == 302


def test_staff_are_sent_to_their_admin(client, student):
    clerk = make_user(student.centre, role="desk", username="clerk", mobile="13955550002")
    ask(client, clerk.mobile)
    assert not Message.select().where(Message.to_mobile == clerk.mobile).exists()
    assert reset(client, clerk.mobile, "123456").status_code == 422
