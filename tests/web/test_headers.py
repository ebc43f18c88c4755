"""Every route answers with the security headers, and nothing but static files may be cached."""

import pytest

from tests.factories import PASSWORD, make_centre, make_user
from tests.http_helpers import csrf_token, example_url


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_route_sends_the_security_headers(app, client, signed_in):
    if signed_in:
        make_user(make_centre(), role="admin", username="boss")
        token = csrf_token(client, "/login")
        client.post("/login", data={"identifier": "boss", "password": PASSWORD, "csrf_token": token})
    checked = 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule == "/logout":
            continue
        url = example_url(rule)
        answer = client.get(url)
        headers = answer.headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], url
        assert (
            "script-src 'self'" in headers["Content-Security-Policy"]
            and "unsafe-inline" not in headers["Content-Security-Policy"]
        ), url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["Referrer-Policy"] == "same-origin", url
        if rule.endpoint not in ("static", "main.service_worker", "main.favicon"):
            assert headers["Cache-Control"] == "no-store", (url, headers.get("Cache-Control"))
        checked += 1
    assert checked > 50
