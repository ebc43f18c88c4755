"""A pre-registration whose ID number another centre already holds is flagged, never linked."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("pre_registration", "known_elsewhere", BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("pre_registration", "known_elsewhere"))
