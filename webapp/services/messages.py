"""The text-message gateway: every message is a row (to, template, parameters, state, provider
id, time, error), sent through the provider SMS_BACKEND names (services/sms_providers.py). With
the `log` backend nothing leaves the server and staff read the messages under 短信记录."""

import json

from flask import current_app
from flask_babel import gettext

from webapp.models import Centre, Message, utcnow
from webapp.vocabulary import MessageState, MessageTemplate

from .sms_providers import PROVIDERS, ProviderError


def send(to_mobile: str, template: MessageTemplate, params: dict, centre: Centre | None = None) -> Message:
    """Send (or log) one message; a provider's refusal is kept on the row, never raised."""
    provider = PROVIDERS[current_app.config["SMS_BACKEND"]]()
    message = Message.create(
        centre=centre,
        to_mobile=to_mobile,
        template=template,
        params=json.dumps(params, ensure_ascii=False),
        provider=provider.name,
        created_at=utcnow(),
    )
    try:
        message.provider_id = provider.send(to_mobile, template, params)
        message.state = MessageState.LOGGED if provider.name == "log" else MessageState.SENT
    except ProviderError as exc:
        message.state, message.error = MessageState.FAILED, str(exc)[:2000]
        current_app.logger.warning("text message %s failed: %s", message.id, message.error)
    message.save()
    return message


def text_of(message: Message) -> str:
    """The words as the recipient reads them, in the current language."""
    return gettext(MessageTemplate(message.template).msgid, **json.loads(message.params or "{}"))


def recent(to_mobile: str | None = None, centre: Centre | None = None, limit: int = 100):
    """The newest messages first, for the log page and `flask messages list`."""
    query = Message.select().order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    if to_mobile:
        query = query.where(Message.to_mobile == to_mobile)
    if centre is not None:
        query = query.where(Message.centre == centre)
    return query
