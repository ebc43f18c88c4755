"""Shared base model and field helpers."""

from datetime import datetime, timezone

from peewee import Model, chunked

from webapp.db import database, insert_rows

BULK_BATCH = 1000  # rows converted and inserted at a time


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
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    returned = []
    for batch in chunked(rows, BULK_BATCH):  # a national list's 20,000 rows never all in memory twice
        instances = [row if isinstance(row, Model) else model(**row) for row in batch]
        returned += insert_rows(
            model._meta.table_name,
            [f.column_name for f in fields],
            [[f.db_value(row.__data__.get(f.name)) for f in fields] for row in instances],
            returning=[f.column_name for f in returning],
        )
    return [tuple(f.python_value(value) for f, value in zip(returning, row, strict=True)) for row in returned]
