"""One-time codes sent by text message (sign-up, a new mobile number), kept as keyed hashes."""

from peewee import *


def up(migrator, db):
    class OneTimeCode(Model):
        mobile = CharField(max_length=11)
        purpose = CharField(max_length=16)
        code_hash = CharField(max_length=64)
        ip = CharField(max_length=45, default="")
        attempts = IntegerField(default=0)
        created_at = DateTimeField()
        expires_at = DateTimeField()
        used_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "one_time_code"
            indexes = ((("mobile", "purpose", "created_at"), False), (("ip", "created_at"), False))

    db.create_tables([OneTimeCode])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("one_time_code"))
