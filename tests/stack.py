"""The deployment on one machine: N gunicorn instances (deploy/gunicorn.conf.py) on free loopback
ports behind one nginx with the project's own site configuration (deploy/nginx/loopback.conf,
which includes the locations production uses). Installs nothing; used by tests/deploy/ and by
the load benchmark (bench/load.py).

    with stack(database_url, instances=2) as running:
        running.url        # nginx, plain HTTP on 127.0.0.1
        running.instances  # each gunicorn's own base URL

Every process it starts is stopped when the block ends."""

import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from webapp.config import PROJECT_ROOT

NGINX_DIR = PROJECT_ROOT / "deploy" / "nginx"
GUNICORN_CONF = PROJECT_ROOT / "deploy" / "gunicorn.conf.py"
MIME_TYPES = Path("/etc/nginx/mime.types")
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so")

# What every process of one deployment shares, so that a session cookie signed by one instance
# is good on the other and an ID number encrypted by one (or by the seeding app) reads on all.
SECRETS = {
    "SECRET_KEY": "stack-secret-key",
    "ID_NUMBER_KEYS": "k1=" + base64.urlsafe_b64encode(b"stack-id-number-encryption-key!!").decode(),
    "ID_NUMBER_INDEX_KEY": base64.urlsafe_b64encode(b"stack-id-number-blind-index-key!").decode(),
}


def nginx_binary():
    """The nginx to run, or None when it is not installed."""
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(path, os.X_OK)), None
    )


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _tail(path, lines=30):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _wait_until_up(url, process, log, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{url} exited with {process.returncode}:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {timeout} s:\n{_tail(log)}")
        time.sleep(0.2)


def _stop(process, timeout=15, sig=signal.SIGTERM):
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@dataclass
class Stack:
    """A running deployment: nginx's base URL (or the only instance's, without nginx), each
    instance's base URL, and the directory with everyone's logs."""

    url: str
    instances: list
    directory: Path
    processes: list = field(default_factory=list)

    def logs(self, lines=40):
        """The end of every log, for a failure's message."""
        return "\n".join(
            f"--- {path.name}\n{_tail(path, lines)}" for path in sorted(self.directory.glob("*.log"))
        )


def _gunicorn(port, env, log_path):
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF)],
            cwd=PROJECT_ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def nginx_conf(directory, port, upstream_ports, worker_connections=4096):
    """The nginx.conf of a loopback stack: one worker (so that round-robin takes turns strictly),
    everything it writes under directory, the upstream of the instances' ports, and the
    project's loopback server; brotli beside gzip when its module is installed, as on a server."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in upstream_ports)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(
        f"    {kind}_temp_path {directory}/temp/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    brotli = BROTLI_MODULE.exists()
    load_brotli = f"load_module {BROTLI_MODULE};\n" if brotli else ""
    include_brotli = f"    include {NGINX_DIR / 'studentloan-brotli.conf'};\n" if brotli else ""
    return f"""{load_brotli}{user}worker_processes 1;
worker_rlimit_nofile {worker_connections * 2};
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/nginx-error.log warn;
events {{
    worker_connections {worker_connections};
}}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    access_log off;
{include_brotli}{temp}
    include {NGINX_DIR / "studentloan-limits.conf"};
    upstream studentloan_app {{
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        root {PROJECT_ROOT};
        include {NGINX_DIR / "loopback.conf"};
    }}
}}
"""


@contextmanager
def stack(
    database_url,
    instances=2,
    *,
    redis_url=None,
    workers=1,
    threads=8,
    env=None,
    with_nginx=True,
):
    """Start `instances` gunicorn instances (each `workers` processes × `threads` threads) on the
    database at database_url, and nginx in front of them unless with_nginx is false (then the
    stack's url is the first instance's). env adds to or overrides the instances' environment."""
    if with_nginx and nginx_binary() is None:
        raise RuntimeError("nginx is not installed (apt install nginx)")
    with ExitStack() as cleanup:
        directory = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="stack-")))
        base_env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("GUNICORN_", "PROMETHEUS_MULTIPROC"))
        }
        instance_env = {
            **base_env,
            **SECRETS,
            "DATABASE_URL": database_url,
            "TRUSTED_PROXIES": "1" if with_nginx else "0",
            "SESSION_COOKIE_SECURE": "false",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            **({"REDIS_URL": redis_url} if redis_url else {}),
            **(env or {}),
        }
        running = Stack(url="", instances=[], directory=directory)

        def stop_all():
            for process in reversed(running.processes):
                _stop(process)

        cleanup.callback(stop_all)
        ports = [free_port() for _ in range(instances)]
        started = []
        for number, port in enumerate(ports, start=1):
            log = directory / f"gunicorn-{number}.log"
            # each instance adds up its own processes' metrics, as on a server of its own
            metrics_dir = directory / f"metrics-{number}"
            metrics_dir.mkdir()
            process = _gunicorn(port, {**instance_env, "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}, log)
            running.processes.append(process)
            started.append((f"http://127.0.0.1:{port}", process, log))
        for url, process, log in started:
            _wait_until_up(url, process, log)
            running.instances.append(url)
        if with_nginx:
            (directory / "temp").mkdir()
            (directory / "snippets").symlink_to(NGINX_DIR, target_is_directory=True)
            port = free_port()
            conf = directory / "nginx.conf"
            conf.write_text(nginx_conf(directory, port, ports), encoding="utf-8")
            log = directory / "nginx-error.log"
            check = subprocess.run(
                [nginx_binary(), "-t", "-q", "-p", str(directory), "-c", str(conf)],
                capture_output=True,
                text=True,
            )
            if check.returncode != 0:
                raise RuntimeError(f"nginx -t refused the loopback configuration:\n{check.stderr}")
            with open(directory / "nginx-stderr.log", "ab") as stderr:
                process = subprocess.Popen(
                    [nginx_binary(), "-p", str(directory), "-c", str(conf)],
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                )
            running.processes.append(process)
            running.url = f"http://127.0.0.1:{port}"
            _wait_until_up(running.url, process, log)
        else:
            running.url = running.instances[0]
        yield running
