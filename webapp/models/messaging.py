"""Text messages sent (or logged) through the gateway, one row each, and the one-time codes
they carried (kept as a keyed hash, never as the code)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.vocabulary import MessageState

from .base import BaseModel, utcnow
from .centre import Centre
from .identity import Student


class Message(BaseModel):
    centre = ForeignKeyField(Centre, null=True, backref="messages")
    # the student it is about (a reminder, a booking); empty for one-time codes
    student = ForeignKeyField(Student, null=True, backref="messages")
    to_mobile = CharField(max_length=11, index=True)
    template = CharField(max_length=32)
    params = TextField(default="{}")  # JSON
    language = CharField(max_length=8, default="")  # the recipient's, when known
    state = CharField(max_length=12, default=MessageState.LOGGED)
    skip_reason = CharField(max_length=20, default="")  # a SkipReason, when skipped
    provider = CharField(max_length=16)
    provider_id = CharField(default="")
    attempts = IntegerField(default=0)
    error = TextField(default="")
    created_at = DateTimeField(default=utcnow, index=True)
    send_after = DateTimeField(null=True)  # held over quiet hours
    sent_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("student", "template", "created_at"), False),  # once a kind a day
            (("centre", "created_at", "template", "state"), False),  # the dashboard's recent counts
        )


class OneTimeCode(BaseModel):
    mobile = CharField(max_length=11)
    purpose = CharField(max_length=16)
    code_hash = CharField(max_length=64)
    ip = CharField(max_length=45, default="")
    attempts = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    expires_at = DateTimeField()
    used_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("mobile", "purpose", "created_at"), False), (("ip", "created_at"), False))
