"""The audit trail: who did what to which record, append-only."""

from peewee import CharField, DateTimeField, ForeignKeyField, TextField

from .base import BaseModel, utcnow
from .centre import Centre
from .identity import User


class AuditEvent(BaseModel):
    """An append-only line of who did what to which record."""

    centre = ForeignKeyField(Centre, null=True, backref="audit_events")
    actor = ForeignKeyField(User, null=True, backref="audit_events")
    action = CharField(max_length=40, index=True)
    object_type = CharField(max_length=40, default="")
    object_id = CharField(max_length=64, default="")
    details = TextField(default="{}")
    ip = CharField(max_length=45, default="")
    created_at = DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("object_type", "object_id"), False),)
