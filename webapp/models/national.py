"""What comes back from the national student-loan system (国家开发银行生源地信用助学贷款系统):
its contract list and its list of receipts universities confirmed, uploaded by an admin, and
what the centre decided about each difference. Contract changes made at the desk live here too,
since they change what the national system holds."""

import json

from peewee import (
    BlobField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from webapp.vocabulary import ConfirmedVia

from .base import BaseModel, utcnow
from .casework import Application
from .centre import Centre, Season
from .fields import BlindIndexField, IdNumberField
from .identity import User


class ColumnMapping(BaseModel):
    """Which column of a centre's national export holds which field (a NationalField), by the
    column's title: saved on the first upload and reused while the titles stay the same."""

    centre = ForeignKeyField(Centre, backref="column_mappings")
    kind = CharField(max_length=20)  # a NationalList
    columns = TextField(default="{}")  # JSON {NationalField: column title}
    saved_by = ForeignKeyField(User, null=True, backref="column_mappings")
    saved_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("centre", "kind"), True),)


class PendingUpload(BaseModel):
    """A national list waiting for its columns to be mapped; deleted once imported, and
    after an hour in any case (it holds ID numbers)."""

    centre = ForeignKeyField(Centre, backref="pending_uploads")
    season = ForeignKeyField(Season, backref="pending_uploads", on_delete="CASCADE")
    kind = CharField(max_length=20)
    token = CharField(max_length=32, unique=True)
    filename = CharField(default="")
    data = BlobField()
    uploaded_by = ForeignKeyField(User, backref="pending_uploads")
    uploaded_at = DateTimeField(default=utcnow, index=True)


class NationalImport(BaseModel):
    """One uploaded national list that was written."""

    centre = ForeignKeyField(Centre, backref="national_imports")
    season = ForeignKeyField(Season, backref="national_imports")
    kind = CharField(max_length=20)
    filename = CharField(default="")
    rows = IntegerField(default=0)
    imported_by = ForeignKeyField(User, null=True, backref="national_imports")
    imported_at = DateTimeField(default=utcnow)


class NationalContract(BaseModel):
    """A contract as the national system lists it; a later list replaces a student's row."""

    centre = ForeignKeyField(Centre, backref="national_contracts")
    season = ForeignKeyField(Season, backref="national_contracts")
    national_import = ForeignKeyField(NationalImport, backref="contracts")
    id_number = IdNumberField(index_field="id_number_index")
    id_number_index = BlindIndexField()
    name = CharField()
    contract_number = CharField()
    receipt_code = CharField(default="")
    amount = IntegerField()
    loan_type = CharField(max_length=20, default="")  # a Service, or "" when the list has none
    university = CharField(default="")
    contract_date = DateField(null=True)

    class Meta:
        indexes = (
            (("season", "contract_number"), True),
            (("season", "id_number_index"), True),
        )


class ReconciliationNote(BaseModel):
    """A difference with the national list the centre looked into: it stays resolved while the
    two sides read as they did (the fingerprint), and shows again when either changes."""

    centre = ForeignKeyField(Centre, backref="reconciliation_notes")
    season = ForeignKeyField(Season, backref="reconciliation_notes")
    id_number_index = BlindIndexField()
    fingerprint = CharField(max_length=64)
    note = TextField()
    resolved_by = ForeignKeyField(User, backref="reconciliation_notes")
    resolved_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("season", "id_number_index"), True),)


class ReceiptConfirmation(BaseModel):
    """The university confirmed the student's receipt (回执确认) in the national system."""

    application = ForeignKeyField(
        Application, backref="receipt_confirmations", unique=True, on_delete="CASCADE"
    )
    confirmed_on = DateField()
    via = CharField(max_length=10, default=ConfirmedVia.HAND)
    recorded_by = ForeignKeyField(User, null=True, backref="receipt_confirmations")
    recorded_at = DateTimeField(default=utcnow)


class ContractChange(BaseModel):
    """A change to an accepted loan's contract (合同变更), with the values before and after."""

    centre = ForeignKeyField(Centre, backref="contract_changes")
    application = ForeignKeyField(Application, backref="contract_changes", on_delete="CASCADE")
    kind = CharField(max_length=20)  # a ContractChangeKind
    old_values = TextField(default="{}")  # JSON {field: value}
    new_values = TextField(default="{}")
    materials_checked = CharField(default="")
    note = TextField(default="")
    made_by = ForeignKeyField(User, backref="contract_changes")
    made_at = DateTimeField(default=utcnow)

    @property
    def before(self) -> dict:
        return json.loads(self.old_values)

    @property
    def after(self) -> dict:
        return json.loads(self.new_values)
