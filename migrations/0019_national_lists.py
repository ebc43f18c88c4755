"""The national system's lists (contracts, receipt confirmations) with each centre's column
mapping, the reconciliation notes, receipt confirmations, contract changes, each season's
confirmation deadline, and places for booking a contract change."""

from peewee import *


def up(migrator, db):
    def table(table_name, **fields):
        meta = type("Meta", (), {"database": db, "table_name": table_name})
        return type(table_name.title().replace("_", ""), (Model,), {"Meta": meta, **fields})

    centre, season, user, application = (
        table(table_name) for table_name in ("centre", "season", "user", "application")
    )
    column_mapping = table(
        "column_mapping",
        centre=ForeignKeyField(centre),
        kind=CharField(max_length=20),
        columns=TextField(default="{}"),
        saved_by=ForeignKeyField(user, null=True),
        saved_at=DateTimeField(),
    )
    pending_upload = table(
        "pending_upload",
        centre=ForeignKeyField(centre),
        season=ForeignKeyField(season, on_delete="CASCADE"),
        kind=CharField(max_length=20),
        token=CharField(max_length=32, unique=True),
        filename=CharField(default=""),
        data=BlobField(),
        uploaded_by=ForeignKeyField(user),
        uploaded_at=DateTimeField(index=True),
    )
    national_import = table(
        "national_import",
        centre=ForeignKeyField(centre),
        season=ForeignKeyField(season),
        kind=CharField(max_length=20),
        filename=CharField(default=""),
        rows=IntegerField(default=0),
        imported_by=ForeignKeyField(user, null=True),
        imported_at=DateTimeField(),
    )
    national_contract = table(
        "national_contract",
        centre=ForeignKeyField(centre),
        season=ForeignKeyField(season),
        national_import=ForeignKeyField(national_import),
        id_number=TextField(),
        id_number_index=CharField(max_length=64, default=""),
        name=CharField(),
        contract_number=CharField(),
        receipt_code=CharField(default=""),
        amount=IntegerField(),
        loan_type=CharField(max_length=20, default=""),
        university=CharField(default=""),
        contract_date=DateField(null=True),
    )
    reconciliation_note = table(
        "reconciliation_note",
        centre=ForeignKeyField(centre),
        season=ForeignKeyField(season),
        id_number_index=CharField(max_length=64, default=""),
        fingerprint=CharField(max_length=64),
        note=TextField(),
        resolved_by=ForeignKeyField(user),
        resolved_at=DateTimeField(),
    )
    receipt_confirmation = table(
        "receipt_confirmation",
        application=ForeignKeyField(application, unique=True, on_delete="CASCADE"),
        confirmed_on=DateField(),
        via=CharField(max_length=10, default="hand"),
        recorded_by=ForeignKeyField(user, null=True),
        recorded_at=DateTimeField(),
    )
    contract_change = table(
        "contract_change",
        centre=ForeignKeyField(centre),
        application=ForeignKeyField(application, on_delete="CASCADE"),
        kind=CharField(max_length=20),
        old_values=TextField(default="{}"),
        new_values=TextField(default="{}"),
        materials_checked=CharField(default=""),
        note=TextField(default=""),
        made_by=ForeignKeyField(user),
        made_at=DateTimeField(),
    )
    column_mapping._meta.indexes = ((("centre", "kind"), True),)
    national_contract._meta.indexes = (
        (("season", "contract_number"), True),
        (("season", "id_number_index"), True),
    )
    reconciliation_note._meta.indexes = ((("season", "id_number_index"), True),)
    db.create_tables(
        [
            column_mapping,
            pending_upload,
            national_import,
            national_contract,
            reconciliation_note,
            receipt_confirmation,
            contract_change,
        ]
    )
    migrator.migrate(migrator.add_column("season", "confirmation_deadline", DateField(null=True)))
    # Contract changes are booked like the other services: places for every existing season.
    for half_day in ("morning", "afternoon"):
        db.execute_sql(
            "INSERT INTO service_quota (season_id, service, half_day, places) "
            "SELECT id, 'contract_change', %s, 30 FROM season WHERE NOT EXISTS ("
            "SELECT 1 FROM service_quota q WHERE q.season_id = season.id "
            "AND q.service = 'contract_change' AND q.half_day = %s)".replace("%s", db.param),
            (half_day, half_day),
        )


def down(migrator, db):
    db.execute_sql("DELETE FROM service_quota WHERE service = 'contract_change'")
    migrator.migrate(migrator.drop_column("season", "confirmation_deadline"))
    for name in (
        "contract_change",
        "receipt_confirmation",
        "reconciliation_note",
        "national_contract",
        "national_import",
        "pending_upload",
        "column_mapping",
    ):
        migrator.migrate(migrator.drop_table(name))
