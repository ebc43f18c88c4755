"""Shared base model and field helpers."""

from datetime import datetime, timezone

from peewee import Model

from webapp.db import database


def utcnow():
    """Naive UTC timestamp; the UI converts to the centre's time zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
