"""The task queue (huey): text messages are sent from it, with retries, and the reminders run on
it every quarter of an hour. SQLite in instance/ by default, so `make run` needs nothing more;
Redis when REDIS_URL is set, for a deployment with many processes.

The web processes only enqueue; `flask tasks consume` runs the work (make run starts it beside
gunicorn; docs/deploy.md runs it as a systemd service). A task runs inside the app that configured
the queue, so it sees the same database and settings.
"""

import os
from contextlib import contextmanager

from flask import Flask
from huey import Huey
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

# Configured by init_app; in memory until then, so importing this module writes nothing.
huey = Huey("studentloan", storage_class=MemoryStorage, results=False, utc=True)
_app: Flask | None = None


def init_app(app: Flask) -> None:
    global _app
    name = app.config["TASK_QUEUE_NAME"]
    if app.config.get("REDIS_URL"):
        huey.storage = RedisStorage(name, url=app.config["REDIS_URL"])
    else:
        os.makedirs(app.instance_path, exist_ok=True)
        huey.storage = SqliteStorage(name, filename=os.path.join(app.instance_path, "tasks.sqlite3"))
    huey.name = name
    app.extensions["huey"] = huey
    _app = app
    from webapp import tasks  # noqa: F401  (registers the tasks with huey)


@contextmanager
def app_context():
    """The app the queue was configured by, for a task's work."""
    if _app is None:
        raise RuntimeError("the task queue is not configured: create the app first")
    with _app.app_context():
        yield


def backend(app: Flask) -> str:
    """Where the queue lives, in words for `make run` and `flask tasks status`."""
    if app.config.get("REDIS_URL"):
        return f"Redis ({app.config['REDIS_URL']})"
    return f"SQLite ({os.path.join(app.instance_path, 'tasks.sqlite3')})"
