"""Sign-in throttling keyed on the account, growing waits instead of a hard lock, and the same
time spent whether an identifier exists or not."""

import statistics
import time
from datetime import timedelta

import pytest

from tests.factories import PASSWORD, make_centre, make_student, make_user
from tests.http_helpers import code_sent_to, csrf_token
from webapp.models import AuditEvent, LoginThrottle, Message, utcnow
from webapp.services.identity import accounts


def test_one_account_typed_five_ways_has_five_tries_in_all(app, client, auth):
    student = make_student(make_centre(), mobile="13800000004")
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in "13800000004")
    ways = ["13800000004", "138 0000 0004", full_width, student.id_number, student.id_number.lower()]
    assert [auth.login(way, "wrong-password").status_code for way in ways] == [401] * 5
    assert auth.login("138-0000-0004", PASSWORD).status_code == 429
    account = student.accounts.get()
    assert LoginThrottle.select().where(LoginThrottle.key == f"user:{account.id}").exists()


def test_waits_grow_and_a_stranger_cannot_lock_an_account_for_long(app, client, auth):
    make_user(make_centre(), role="admin", username="boss")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("boss", "wrong-password")
    first = LoginThrottle.get(LoginThrottle.key.startswith("user:"))
    first_wait = (first.locked_until - utcnow()).total_seconds()
    assert 0 < first_wait <= app.config["LOGIN_DELAY_SECONDS"] + 1
    LoginThrottle.update(locked_until=utcnow() - timedelta(seconds=1)).execute()  # the wait is over
    assert auth.login("boss", "wrong-password").status_code == 401
    second = LoginThrottle.get(LoginThrottle.key.startswith("user:"))
    assert (second.locked_until - utcnow()).total_seconds() > first_wait * 1.5
    assert AuditEvent.select().where(AuditEvent.action == "account.sign_in_paused").count() >= 2
    LoginThrottle.update(locked_until=utcnow() - timedelta(seconds=1)).execute()
    assert auth.login("boss", PASSWORD).status_code == 302


@pytest.mark.timed
def test_unknown_and_known_identifiers_take_the_same_time(app, production_password_cost):
    make_student(make_centre(), mobile="13800000004")  # hashed at a server's cost

    def timed(identifier):
        start = time.perf_counter()
        assert accounts.authenticate(identifier, "wrong-password") is None
        return time.perf_counter() - start

    # taken in turns, so that whatever else the machine does weighs on both alike
    with app.test_request_context():
        pairs = [(timed("13800000004"), timed("13900000000")) for _ in range(20)]
    known, unknown = (statistics.median(times) for times in zip(*pairs, strict=True))
    assert abs(known - unknown) / max(known, unknown) < 0.2, (known, unknown)


def _send_and_sign_in_with_code(client, identifier, mobile, password=PASSWORD, send=True):
    token = csrf_token(client, "/login/code")
    if send:
        data = {"identifier": identifier, "send_code": "1", "csrf_token": token}
        assert client.post("/login/code", data=data).status_code == 200
    code = code_sent_to(mobile) if mobile else "000000"
    return client.post(
        "/login/code",
        data={"identifier": identifier, "code": code, "password": password, "csrf_token": token},
    )


def test_a_paused_staff_member_comes_in_with_a_code_to_the_registered_mobile(app, client, auth):
    make_user(make_centre(), role="admin", username="boss", mobile="13900000077")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("boss", "wrong-password")
    paused = auth.login("boss", PASSWORD)
    assert paused.status_code == 429 and "/login/code" in paused.get_data(as_text=True)
    wrong_password = _send_and_sign_in_with_code(client, "boss", "13900000077", "wrong-password")
    assert wrong_password.status_code == 422 and client.get("/admin/users").status_code == 302
    signed_in = _send_and_sign_in_with_code(client, "boss", "13900000077", send=False)
    assert signed_in.status_code == 302 and client.get("/admin/users").status_code == 200
    assert AuditEvent.select().where(AuditEvent.action == "account.signed_in_by_code").exists()
    assert not LoginThrottle.select().where(LoginThrottle.key.startswith("user:")).exists()


def test_a_code_sign_in_says_the_same_for_students_and_unknown_names(app, client):
    student = make_student(make_centre(), mobile="13800000004")
    make_user(student.centre, role="desk", username="nomobile")
    for identifier in (student.id_number, "nobody-here", "nomobile"):
        answer = _send_and_sign_in_with_code(client, identifier, None)
        assert answer.status_code == 422 and client.get("/me/").status_code == 302
    assert not Message.select().where(Message.template == "verification_code").exists()
