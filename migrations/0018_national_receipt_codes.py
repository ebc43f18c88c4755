"""The national system's receipt verification code on each accepted loan (unique in a season),
and the patterns a centre's contract numbers and codes follow."""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("application", "receipt_code", CharField(null=True)),
        migrator.add_index("application", ("season_id", "receipt_code"), True),
        migrator.add_column("centre", "contract_pattern", CharField(default="")),
        migrator.add_column("centre", "receipt_code_pattern", CharField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("application", "application_season_id_receipt_code"),
        migrator.drop_column("application", "receipt_code"),
        migrator.drop_column("centre", "contract_pattern"),
        migrator.drop_column("centre", "receipt_code_pattern"),
    )
