"""gunicorn's settings, from the environment the systemd unit (or `make run`) gives it.

GUNICORN_BIND      where it listens (nginx proxies to it), default 127.0.0.1:8000
GUNICORN_WORKERS   processes, default 2 × cores + 1
GUNICORN_THREADS   threads per process, default 8 (the screens' call streams each hold one)
GUNICORN_TIMEOUT   seconds a request may take, default 60 (a province's export streams longer
                   than that only while it keeps writing)
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
worker_class = "gthread"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# The app writes its own JSON line per request (webapp/request_log.py); gunicorn's access log
# would only repeat it.
accesslog = None
errorlog = "-"
wsgi_app = "wsgi:app"


def child_exit(server, worker):
    """Metrics across processes: a finished worker's live gauges leave with it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
