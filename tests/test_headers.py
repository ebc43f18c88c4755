"""Every route answers with the security headers, and nothing but static files may be cached."""

import pytest

from tests.conftest import csrf_token
from tests.factories import PASSWORD, make_centre, make_user


def _example_url(rule):
    values = {}
    for name, converter in rule._converters.items():
        if hasattr(converter, "items"):
            values[name] = sorted(converter.items)[0]
        elif converter.__class__.__name__ in ("RecordIdConverter", "IntegerConverter"):
            values[name] = 1
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


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
        url = _example_url(rule)
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
