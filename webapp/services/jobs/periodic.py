"""The timed work the task queue's consumer runs on its own schedule. Registered by create_app."""

from huey import crontab

from webapp import task_queue
from webapp.services.jobs import reminders
from webapp.services.national import national_lists
from webapp.vocabulary import TaskName


@task_queue.periodic_task(crontab(minute="*/15"), TaskName.RUN_REMINDERS)
def run_reminders() -> int:
    """Every quarter of an hour: the reminders now due (their own times are local)."""
    with task_queue.app_context():
        return reminders.run()


@task_queue.periodic_task(crontab(minute="*/5"), TaskName.FORGET_STALE_UPLOADS)
def forget_stale_uploads() -> int:
    """Every five minutes: national lists left waiting for their mapping past the hour they
    promise (they hold ID numbers)."""
    with task_queue.app_context():
        return national_lists.forget_stale_uploads()
