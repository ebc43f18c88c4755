"""One JSON line per request on the logger `studentloan.requests`: a request id (nginx's, when
it sends one, else a new one, and returned as X-Request-Id), the user and centre, the status
and the latency; the same latency feeds the metrics. Personal numbers in the line are masked by
webapp/log_privacy.py like every other log line."""

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import g, request

from webapp import metrics

logger = logging.getLogger("studentloan.requests")
REQUEST_ID = re.compile(r"[0-9A-Za-z._-]{8,64}")


def _start():
    g.request_started = time.perf_counter()
    sent = request.headers.get("X-Request-Id", "")
    g.request_id = sent if REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex


def _finish(response):
    seconds = time.perf_counter() - g.get("request_started", time.perf_counter())
    endpoint = request.endpoint or "unmatched"
    metrics.observe_request(endpoint, request.method, response.status_code, seconds)
    response.headers["X-Request-Id"] = g.get("request_id", "")
    user = g.get("_login_user")  # only when the request loaded its user: no query for it here
    signed_in = user is not None and user.is_authenticated
    logger.info(
        json.dumps(
            {
                "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "request_id": g.get("request_id"),
                "method": request.method,
                "path": request.full_path.rstrip("?"),
                "endpoint": endpoint,
                "status": response.status_code,
                "ms": round(seconds * 1000, 1),
                "user": user.id if signed_in else None,
                "centre": user.centre_id if signed_in else None,
                "ip": request.remote_addr,
                "bytes": response.headers.get("Content-Length", type=int),  # none for a stream
            },
            ensure_ascii=False,
        )
    )
    return response


def init_app(app):
    if app.config["REQUEST_LOG"] and not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    app.before_request(_start)
    app.after_request(_finish)
