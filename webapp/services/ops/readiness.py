"""Whether this process can serve: the database answers with every migration applied, and the
task queue answers. A load balancer or monitor asks /readyz; /healthz only says it is alive."""

from webapp.db import database, pending_migrations
from webapp.task_queue import huey

OK = "ok"


def _database() -> str:
    database.connect(reuse_if_open=True)
    pending = pending_migrations()
    return f"{len(pending)} migration(s) not applied" if pending else OK


def _task_queue() -> str:
    huey.pending_count()
    return OK


CHECKS = {"database": _database, "task_queue": _task_queue}


def check() -> dict[str, str]:
    """Each check's answer: "ok", or what is wrong in a few words."""
    answers = {}
    for name, probe in CHECKS.items():
        try:
            answers[name] = probe()
        except Exception as exc:  # noqa: BLE001 (any failure to answer is the finding)
            answers[name] = f"unreachable: {type(exc).__name__}"
    return answers
