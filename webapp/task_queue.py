"""The task queue (huey): text messages are sent from it, with retries, and the reminders run on
it every quarter of an hour. SQLite in instance/ by default, so `make run` needs nothing more;
Redis when REDIS_URL is set, for a deployment with many processes.

Producers enqueue a task by its name (`enqueue`); the modules that do the work declare their
tasks with `task` and `periodic_task`, and create_app imports them, so that no producer imports
a worker. The web processes only enqueue; `flask tasks consume` runs the work (make run starts it beside
gunicorn; docs/deploy.md runs it as a systemd service). A task runs inside the app that configured
the queue, so it sees the same database and settings.
"""

import os
from contextlib import contextmanager

from flask import Flask
from huey import Huey
from huey.api import TaskWrapper
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

# Configured by init_app; in memory until then, so importing this module writes nothing.
huey = Huey("studentloan", storage_class=MemoryStorage, results=False, utc=True)
_app: Flask | None = None
_tasks: dict[str, TaskWrapper] = {}


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


def task(name: str):
    """Declare the work of a named task (run inside the app: see app_context)."""

    def register(function):
        _tasks[name] = huey.task(name=name)(function)
        return _tasks[name]

    return register


def periodic_task(schedule, name: str):
    """Declare the work of a task the consumer runs on a schedule (a huey crontab)."""

    def register(function):
        _tasks[name] = huey.periodic_task(schedule, name=name)(function)
        return _tasks[name]

    return register


def enqueue(name: str, *args, eta=None) -> None:
    """Queue a named task now, or for eta (an aware time: huey turns it into UTC)."""
    if name not in _tasks:
        raise RuntimeError(f"no task named {name!r} is registered: create the app first")
    if eta is None:
        _tasks[name](*args)
    else:
        _tasks[name].schedule(args, eta=eta)


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
