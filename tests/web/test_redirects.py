"""A "next" address is followed only to a path of this site: after sign-in and after choosing a
language, however the address is bent (a tab, a line break, a backslash, a double slash)."""

import pytest

from tests.factories import PASSWORD, make_centre, make_user
from tests.http_helpers import csrf_token
from webapp.security import same_site_path

AWAY = [
    "//evil.example/phish",
    "/\t/evil.example/phish",
    "/%09/evil.example",  # decoded once by the server: a tab
    "/\n/evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "evil.example",
]


@pytest.mark.parametrize("target", AWAY)
def test_no_bent_address_leads_away(target):
    from urllib.parse import unquote

    assert same_site_path(unquote(target)) is None


def test_paths_of_the_site_are_kept():
    assert same_site_path("/desk/?q=1") == "/desk/?q=1"
    assert same_site_path("/me/application#step") == "/me/application#step"


def test_sign_in_and_the_language_follow_only_this_sites_paths(app, client, auth):
    make_user(make_centre(), role="desk", username="desk1")
    for target in ("/\t/evil.example/phish", "//evil.example", "/\\evil.example"):
        response = client.post(
            "/login",
            query_string={"next": target},
            data={"identifier": "desk1", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")},
        )
        assert response.status_code == 302
        assert response.headers["Location"] in ("/desk/", "http://localhost/desk/"), target
        auth.logout()
        language = client.post(
            "/language",
            data={"language": "en", "next": target, "csrf_token": csrf_token(client, "/login")},
        )
        assert language.headers["Location"] in ("/", "http://localhost/"), target
    kept = client.post(
        "/login",
        query_string={"next": "/desk/?q=1"},
        data={"identifier": "desk1", "password": PASSWORD, "csrf_token": csrf_token(client, "/login")},
    )
    assert kept.headers["Location"].endswith("/desk/?q=1")
