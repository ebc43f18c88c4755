"""Columns that keep a resident ID number unreadable at rest (webapp/id_crypto.py).

An IdNumberField holds the encrypted number; setting it on a model also sets its blind index
(a BlindIndexField named in index_field) and, where named, the last four characters the desk
searches by. Queries compare the index, never the encrypted column:
`Student.id_number_index == number` or `.in_(numbers)`; comparing the encrypted column itself
raises, so a look-up cannot silently find nothing."""

from peewee import CharField, FieldAccessor, TextField

from webapp import id_crypto


class Digest(str):
    """A blind index as read from the database: written back unchanged."""


class BlindIndexField(CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)

    def db_value(self, value):
        if isinstance(value, Digest) or value is None:
            return value
        return id_crypto.blind_index(value)

    def python_value(self, value):
        return Digest(value) if value is not None else None


class _IdNumberAccessor(FieldAccessor):
    def __set__(self, instance, value):
        super().__set__(instance, value)
        for name, derived in (
            (self.field.index_field, value),
            (self.field.last4_field, (value or "")[-4:].upper()),
        ):
            if name:
                instance.__data__[name] = derived
                instance._dirty.add(name)


class IdNumberField(TextField):
    accessor_class = _IdNumberAccessor

    def __init__(self, index_field: str | None = None, last4_field: str | None = None, **kwargs):
        kwargs.setdefault("default", "")
        super().__init__(**kwargs)
        self.index_field, self.last4_field = index_field, last4_field

    def db_value(self, value):
        return id_crypto.encrypt(value) if value else ""

    def python_value(self, value):
        return id_crypto.decrypt(value) if value else ""

    def _refuse(self, *_args):
        instead = (
            f"compare {self.model.__name__}.{self.index_field} instead"
            if self.index_field
            else "it has no index"
        )
        raise TypeError(f"{self.model.__name__}.{self.name} is encrypted: {instead}.")

    __eq__ = __ne__ = in_ = not_in = _refuse
    __hash__ = TextField.__hash__
