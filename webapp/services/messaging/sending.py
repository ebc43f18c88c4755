"""Handing one message to the provider SMS_BACKEND names: the one place a text leaves the server."""

import json

from webapp.models import Message, utcnow
from webapp.services.messaging.sms_providers import PROVIDERS
from webapp.vocabulary import MessageState


def hand_over(message: Message, params: dict | None = None) -> None:
    """Send the row's text (with params, when the row keeps a one-time code masked); the
    provider's id and the new state go on the row (not saved). A provider's refusal raises
    ProviderError."""
    provider = PROVIDERS[message.provider]()
    message.attempts += 1
    sent = params if params is not None else json.loads(message.params)
    message.provider_id = provider.send(message.to_mobile, message.template, sent)
    message.state = MessageState.LOGGED if provider.name == "log" else MessageState.SENT
    message.sent_at = utcnow()
