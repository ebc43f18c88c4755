"""The queued work of a text message: the task that delivers one, retried with a doubling delay
on a provider's error, then marked failed. Registered by create_app; those who ask for a message
(services/messaging/messages.py) enqueue it by name and never import this module."""

from flask import current_app
from huey.exceptions import RetryTask

from webapp import metrics, task_queue
from webapp.models import Message
from webapp.services.messaging.sending import hand_over
from webapp.services.messaging.sms_providers import ProviderError
from webapp.vocabulary import MessageState, TaskName


@task_queue.task(TaskName.DELIVER_MESSAGE)
def deliver_message(message_id: int) -> None:
    with task_queue.app_context():
        delay = deliver(message_id)
    if delay is not None:
        raise RetryTask(delay=delay)


def deliver(message_id: int) -> float | None:
    """Hand a queued message to the provider. Returns the delay in seconds before trying again
    after a provider error, or None when done (sent, or failed for good)."""
    message = Message.get_or_none(Message.id == message_id)
    if message is None or message.state != MessageState.QUEUED:
        return None  # sent already, or its transaction was rolled back
    try:
        hand_over(message)
        metrics.count_message(message.state)
    except ProviderError as exc:
        message.error = str(exc)[:2000]
        retries = current_app.config["SMS_RETRIES"]
        if message.attempts <= retries:
            message.save()
            metrics.count_message(MessageState.QUEUED)
            return current_app.config["SMS_RETRY_BASE_SECONDS"] * 2 ** (message.attempts - 1)
        message.state = MessageState.FAILED
        metrics.count_message(MessageState.FAILED)
        current_app.logger.warning("text message %s failed: %s", message.id, message.error)
    message.save()
    return None
