"""Sign-in sessions kept on the server (seen and ended by their user) replace the session
version number of 0009."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class SignInSession(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        key_hash = CharField(max_length=64, unique=True)
        previous_key_hash = CharField(max_length=64, null=True, index=True)
        rotated_at = DateTimeField(null=True)
        remembered = BooleanField(default=False)
        ip = CharField(max_length=45, default="")
        user_agent = CharField(max_length=200, default="")
        created_at = DateTimeField()
        last_seen_at = DateTimeField()
        ended_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "sign_in_session"

    db.create_tables([SignInSession])
    migrator.migrate(migrator.drop_column("user", "session_version"))


def down(migrator, db):
    migrator.migrate(
        migrator.add_column("user", "session_version", IntegerField(default=0)),
        migrator.drop_table("sign_in_session"),
    )
