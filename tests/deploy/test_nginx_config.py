"""nginx accepts the site configuration in deploy/nginx/ as a county would install it: the
production site with a certificate (self-signed here), with and without the brotli snippet."""

import shutil
import subprocess

import pytest

from tests.stack import BROTLI_MODULE, MIME_TYPES, NGINX_DIR, nginx_binary

PLACEHOLDERS = ("/etc/ssl/studentloan/fullchain.pem", "/etc/ssl/studentloan/privkey.pem", "/var/log/nginx/")

pytestmark = pytest.mark.skipif(nginx_binary() is None, reason="nginx is not installed")


def _installed(tmp_path, brotli):
    """/etc/nginx in miniature: nginx.conf, snippets/ and the site with its paths in tmp_path."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=zizhu.example.gov.cn", "-keyout", "key.pem", "-out", "cert.pem"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
    )
    (tmp_path / "snippets").mkdir()
    (tmp_path / "logs").mkdir()
    shutil.copy(NGINX_DIR / "studentloan-locations.conf", tmp_path / "snippets")
    shutil.copy(NGINX_DIR / "studentloan-limits.conf", tmp_path / "snippets")
    if brotli:
        shutil.copy(NGINX_DIR / "studentloan-brotli.conf", tmp_path / "snippets")
    site = (NGINX_DIR / "studentloan.conf").read_text(encoding="utf-8")
    for placeholder, replacement in zip(
        PLACEHOLDERS, (f"{tmp_path}/cert.pem", f"{tmp_path}/key.pem", f"{tmp_path}/logs/"), strict=True
    ):
        assert placeholder in site
        site = site.replace(placeholder, replacement)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        (f"load_module {BROTLI_MODULE};\n" if brotli else "")
        + f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/logs/error.log;\nevents {{}}\n"
        + f"http {{\n    include {MIME_TYPES};\n    include site.conf;\n}}\n",
        encoding="utf-8",
    )
    return tmp_path / "nginx.conf"


def _check(conf):
    return subprocess.run(
        [nginx_binary(), "-t", "-p", str(conf.parent), "-c", str(conf)], capture_output=True, text=True
    )


def test_the_production_site_without_brotli(tmp_path):
    result = _check(_installed(tmp_path, brotli=False))
    assert result.returncode == 0, result.stderr


def test_the_production_site_with_brotli(tmp_path):
    assert BROTLI_MODULE.exists(), "make system-test installs libnginx-mod-http-brotli-filter"
    result = _check(_installed(tmp_path, brotli=True))
    assert result.returncode == 0, result.stderr
