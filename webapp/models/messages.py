"""Text messages sent (or logged) through the gateway: one row each, kept as the record."""

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from webapp.vocabulary import MessageState

from .base import BaseModel, utcnow
from .centre import Centre


class Message(BaseModel):
    centre = ForeignKeyField(Centre, null=True, backref="messages")
    to_mobile = CharField(max_length=11, index=True)
    template = CharField(max_length=32)
    params = TextField(default="{}")  # JSON
    state = CharField(max_length=12, default=MessageState.LOGGED)
    provider = CharField(max_length=16)
    provider_id = CharField(default="")
    error = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)
