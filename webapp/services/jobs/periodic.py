"""The timed work the task queue's consumer runs on its own schedule. Registered by create_app."""

from huey import crontab

from webapp import task_queue
from webapp.services.jobs import reminders
from webapp.vocabulary import TaskName


@task_queue.periodic_task(crontab(minute="*/15"), TaskName.RUN_REMINDERS)
def run_reminders() -> int:
    """Every quarter of an hour: the reminders now due (their own times are local)."""
    with task_queue.app_context():
        return reminders.run()
