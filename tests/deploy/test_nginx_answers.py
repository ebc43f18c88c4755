"""What nginx itself answers with the project's locations: static files from disk (revalidated,
since their URLs carry no version; a year for a versioned URL), the manifest's type, the
service worker never cached, compression (gzip, and brotli), bodies over their route's limit refused, and the sign-in and certificate-check rates."""

import gzip
import http.client
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import brotli
import pytest

from tests.deploy.conftest import METRICS_TOKEN
from tests.stack import BROTLI_MODULE

MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # webapp/config.py
FORM_BODY_LIMIT = 256 * 1024  # webapp/input_checks.py


def fetch(url, headers=None, data=None):
    request = urllib.request.Request(url, headers=headers or {}, data=data)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_static_files_come_from_disk_and_are_revalidated(deployment):
    status, headers, body = fetch(deployment.url + "/static/css/app.css")
    assert status == 200
    assert "X-Upstream" not in headers  # nginx served it, no instance was asked
    assert headers["Cache-Control"] == "no-cache"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["ETag"] and headers["Last-Modified"]
    on_disk = (deployment.stack_root / "static" / "css" / "app.css").read_bytes()
    assert body == on_disk
    status, _headers, _body = fetch(
        deployment.url + "/static/css/app.css", headers={"If-None-Match": headers["ETag"]}
    )
    assert status == 304


def test_a_versioned_static_url_is_kept_for_a_year(deployment):
    _status, headers, _body = fetch(deployment.url + "/static/js/page.js?v=3f9a2c1d")
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_text_is_compressed(deployment):
    _status, headers, body = fetch(deployment.url + "/static/css/app.css", {"Accept-Encoding": "gzip"})
    assert headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (deployment.stack_root / "static" / "css" / "app.css").read_bytes()


def test_browsers_that_accept_brotli_get_it(deployment):
    assert BROTLI_MODULE.exists(), "make system-test installs libnginx-mod-http-brotli-filter"
    on_disk = (deployment.stack_root / "static" / "css" / "app.css").read_bytes()
    _status, headers, body = fetch(deployment.url + "/static/css/app.css", {"Accept-Encoding": "br, gzip"})
    assert headers["Content-Encoding"] == "br"
    assert len(body) < len(on_disk) and brotli.decompress(body) == on_disk


def test_the_manifest_has_its_type(deployment):
    _status, headers, _body = fetch(deployment.url + "/static/manifest.webmanifest")
    assert headers["Content-Type"].startswith("application/manifest+json")


def test_the_service_worker_comes_from_the_app_and_is_never_cached(deployment):
    status, headers, body = fetch(deployment.url + "/sw.js")
    assert status == 200
    assert headers.get_all("Cache-Control") == ["no-cache"]
    assert b"const SHELL_VERSION" in body


@pytest.mark.parametrize(
    "path, size, refused",
    [
        ("/login", FORM_BODY_LIMIT + 1, True),
        ("/login", 64 * 1024, False),
        ("/admin/rosters", MAX_CONTENT_LENGTH + 1, True),
        ("/admin/rosters", 1024 * 1024, False),
        ("/api/sync", 1024 * 1024, False),
    ],
)
def test_bodies_over_their_routes_limit_stop_at_nginx(deployment, path, size, refused):
    """A form's 256 KB everywhere, 8 MB where a file or a batch is taken."""
    status, headers, _body = fetch(
        deployment.url + path,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data=b"x" * size,
    )
    if refused:
        assert status == 413 and "X-Upstream" not in headers
    else:
        assert status != 413 and "X-Upstream" in headers


def _post_from(address, url, path, count):
    """count quick posts from another loopback address (its own rate, not the other tests')."""
    parts = urlsplit(url)
    statuses = []
    for _ in range(count):
        connection = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=30, source_address=(address, 0)
        )
        connection.request("POST", path, body=b"identifier=x&password=y",
                           headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
        response = connection.getresponse()
        statuses.append((response.status, response.getheader("X-Upstream")))
        response.read()
        connection.close()
    return statuses


def test_sign_in_posts_are_held_to_a_persons_pace_at_nginx(deployment):
    """A class's burst goes through; a script's flood is answered 429 by nginx, not the app."""
    statuses = _post_from("127.0.0.5", deployment.url, "/login", 160)
    reached = [status for status, upstream in statuses if upstream]
    stopped = [status for status, upstream in statuses if not upstream]
    assert len(reached) >= 120 and 429 not in reached[:120]
    assert stopped and set(stopped) == {429}
    assert fetch(deployment.url + "/login")[0] == 200  # a get is not counted


def test_the_certificate_check_is_rate_limited_at_nginx(deployment):
    statuses = _post_from("127.0.0.6", deployment.url, "/verify/", 60)
    assert (429, None) in statuses and statuses[0][1] is not None


def test_metrics_are_not_served_through_the_site(deployment):
    status, headers, _body = fetch(deployment.url + "/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 404 and "X-Upstream" not in headers


def test_each_instance_adds_up_its_processes_metrics(deployment):
    """Two worker processes per instance: the instance's /metrics counts every one's requests."""
    instance = deployment.stack.instances[1]
    asks = 40
    for _ in range(asks):
        assert fetch(instance + "/readyz")[0] == 200
    status, _headers, body = fetch(instance + "/metrics", {"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200
    line = next(
        line
        for line in body.decode().splitlines()
        if line.startswith(
            'studentloan_request_seconds_count{endpoint="main.ready",method="GET",status="200"}'
        )
    )
    assert float(line.rsplit(" ", 1)[1]) >= asks
    pids = {line for line in body.decode().splitlines() if "pid=" in line}
    assert not pids  # added up, not one series per process


def test_the_request_id_goes_from_nginx_to_the_app_and_back(deployment):
    """nginx sends its own $request_id (the client's is replaced), and the app returns it."""
    mine = "chosen-by-the-client"
    assert (
        fetch(deployment.stack.instances[0] + "/healthz", {"X-Request-Id": mine})[1]["X-Request-Id"] == mine
    )
    status, headers, _body = fetch(deployment.url + "/healthz", {"X-Request-Id": mine})
    assert status == 200
    assert headers["X-Request-Id"] != mine and len(headers["X-Request-Id"]) == 32
