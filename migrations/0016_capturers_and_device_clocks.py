"""Records captured offline keep who sent them when that is not their capturer, and what the
device's clock said; the devices each user captured on are known."""

from peewee import *


def up(migrator, db):
    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class CaptureDevice(Model):
        user = ForeignKeyField(User, on_delete="CASCADE")
        device_id = CharField(max_length=64)
        first_seen_at = DateTimeField()
        last_seen_at = DateTimeField()

        class Meta:
            database = db
            table_name = "capture_device"
            indexes = ((("user", "device_id"), True),)

    db.create_tables([CaptureDevice])
    operations = []
    for table in ("pre_registration", "school_visit"):
        operations += [
            migrator.add_column(table, "sent_by_id", ForeignKeyField(User, null=True, field=User.id)),
            migrator.add_column(table, "clock_skew", IntegerField(null=True)),
            migrator.add_column(table, "clock_flag", CharField(max_length=20, default="")),
        ]
    migrator.migrate(*operations)


def down(migrator, db):
    operations = []
    for table in ("pre_registration", "school_visit"):
        operations += [
            migrator.drop_index(table, f"{table}_sent_by_id"),
            migrator.drop_column(table, "sent_by_id"),
            migrator.drop_column(table, "clock_skew"),
            migrator.drop_column(table, "clock_flag"),
        ]
    operations.append(migrator.drop_table("capture_device"))
    migrator.migrate(*operations)
