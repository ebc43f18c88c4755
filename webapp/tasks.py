"""The work the task queue runs (webapp/task_queue.py): delivering a text message, retried with
a doubling delay on a provider's error, and the reminders every quarter of an hour."""

from huey import crontab
from huey.exceptions import RetryTask

from webapp.services import messages, reminders
from webapp.task_queue import app_context, huey


@huey.task(name="deliver_message")
def deliver(message_id: int) -> None:
    with app_context():
        delay = messages.deliver(message_id)
    if delay is not None:
        raise RetryTask(delay=delay)


@huey.periodic_task(crontab(minute="*/15"), name="run_reminders")
def run_reminders() -> int:
    """Every quarter of an hour: the reminders now due (their own times are local)."""
    with app_context():
        return reminders.run()
