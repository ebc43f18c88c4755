"""Sessions that end: a version per user in every session and remember-me cookie, bumped on
sign-out, a password change or reset; and temporary passwords changed at first sign-in."""

from peewee import *


def up(migrator, db):
    migrator.migrate(migrator.add_column("user", "session_version", IntegerField(default=0)))
    migrator.migrate(migrator.add_column("user", "must_change_password", BooleanField(default=False)))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("user", "must_change_password"))
    migrator.migrate(migrator.drop_column("user", "session_version"))
