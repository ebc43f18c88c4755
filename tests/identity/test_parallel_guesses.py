"""Guesses sent at once are counted before they are checked: thirty wrong sign-up codes and forty
wrong passwords in parallel get no more checks than the limits allow, on both databases."""

from tests.concurrency import at_once
from tests.factories import PASSWORD, make_centre, make_user
from tests.http_helpers import csrf_token
from webapp.models import LoginThrottle
from webapp.services.common.errors import FieldErrors
from webapp.services.identity import one_time_codes
from webapp.vocabulary import CodePurpose

NOT_RIGHT = "验证码不正确，请核对短信。"  # "The code is not right", in the default language


def test_thirty_parallel_wrong_codes_get_five_checks(app):
    mobile = "13700000011"
    with app.test_request_context():
        one_time_codes.request_code(mobile, CodePurpose.SIGN_UP, "203.0.113.7")
    results = at_once(
        app,
        *[lambda: one_time_codes.check_code(mobile, CodePurpose.SIGN_UP, "000000") for _ in range(30)],
    )
    assert all(isinstance(r, FieldErrors) for r in results), results
    with app.test_request_context():
        messages = [str(r.errors["code"]) for r in results]
    assert messages.count(NOT_RIGHT) == one_time_codes.TRIES, messages


def test_forty_parallel_wrong_passwords_get_five_checks(app):
    make_user(make_centre(), role="desk", username="window7")
    clients = [app.test_client() for _ in range(40)]
    for client in clients:
        client.set_cookie("lang", "en")
    tokens = [csrf_token(client, "/login") for client in clients]

    def guess(client, token):
        data = {"identifier": "window7", "password": "wrong-password", "csrf_token": token}
        return client.post("/login", data=data).status_code

    statuses = at_once(app, *[lambda c=c, t=t: guess(c, t) for c, t in zip(clients, tokens, strict=True)])
    assert statuses.count(401) == app.config["LOGIN_MAX_FAILURES"], statuses
    assert statuses.count(429) == 40 - app.config["LOGIN_MAX_FAILURES"], statuses
    account = LoginThrottle.get(LoginThrottle.key.startswith("user:"))
    assert account.failures == app.config["LOGIN_MAX_FAILURES"] and account.locked_until is not None
    # the right password on a fresh client waits too, until the pause ends
    late = app.test_client()
    data = {"identifier": "window7", "password": PASSWORD, "csrf_token": csrf_token(late, "/login")}
    assert late.post("/login", data=data).status_code == 429
