"""What nginx itself answers with the project's locations: static files from disk (revalidated,
since their URLs carry no version; a year for a versioned URL), the manifest's type, the
service worker never cached, compression (gzip, and brotli), and bodies over MAX_CONTENT_LENGTH refused."""

import gzip
import urllib.error
import urllib.request

import brotli
import pytest

from tests.deploy.conftest import METRICS_TOKEN
from tests.stack import BROTLI_MODULE

MAX_CONTENT_LENGTH = 8 * 1024 * 1024  # webapp/config.py


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


@pytest.mark.parametrize("size, refused", [(MAX_CONTENT_LENGTH + 1, True), (64 * 1024, False)])
def test_bodies_over_the_apps_limit_stop_at_nginx(deployment, size, refused):
    status, headers, _body = fetch(
        deployment.url + "/login",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        data=b"x" * size,
    )
    if refused:
        assert status == 413 and "X-Upstream" not in headers
    else:
        assert status != 413 and "X-Upstream" in headers


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
