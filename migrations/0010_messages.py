"""The text-message log: every message sent or logged through the gateway."""

from peewee import *


def up(migrator, db):
    class Centre(Model):
        class Meta:
            database = db
            table_name = "centre"

    class Message(Model):
        centre = ForeignKeyField(Centre, null=True)
        to_mobile = CharField(max_length=11, index=True)
        template = CharField(max_length=32)
        params = TextField(default="{}")
        state = CharField(max_length=12, default="logged")
        provider = CharField(max_length=16)
        provider_id = CharField(default="")
        error = TextField(default="")
        created_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "message"

    db.create_tables([Message])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("message"))
