"""Shared base model and field helpers."""

from datetime import datetime, timezone

from peewee import Model

from webapp.db import database, insert_rows


def utcnow():
    """Naive UTC timestamp; the UI converts to the centre's time zone."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


def bulk_insert(model, rows, returning=()):
    """INSERT many rows of a model (instances, or dicts of its fields) with one prepared
    statement: the one bulk insert of rosters, national lists and sync, since peewee's
    insert_many spends more time building SQL than the database spends storing a batch.
    Returns the returning fields' values of each new row, as the model reads them."""
    rows = [row if isinstance(row, Model) else model(**row) for row in rows]
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    returned = insert_rows(
        model._meta.table_name,
        [f.column_name for f in fields],
        [[f.db_value(row.__data__.get(f.name)) for f in fields] for row in rows],
        returning=[f.column_name for f in returning],
    )
    return [tuple(f.python_value(value) for f, value in zip(returning, row, strict=True)) for row in returned]
