"""Text messages queued and delivered by the task queue: who a message is about, its language,
attempts, quiet-hours hold and skip reason; each student's message language and reminder choice;
the closed day a booking was moved from; a ticket's wish for a message when its turn is near."""

from peewee import *


def up(migrator, db):
    class Student(Model):
        class Meta:
            database = db
            table_name = "student"

    migrator.migrate(
        migrator.add_column("message", "student_id", ForeignKeyField(Student, null=True, field=Student.id)),
        migrator.add_column("message", "language", CharField(max_length=8, default="")),
        migrator.add_column("message", "skip_reason", CharField(max_length=20, default="")),
        migrator.add_column("message", "attempts", IntegerField(default=0)),
        migrator.add_column("message", "send_after", DateTimeField(null=True)),
        migrator.add_column("message", "sent_at", DateTimeField(null=True)),
        migrator.add_index("message", ("student_id", "template", "created_at"), False),
        migrator.add_column("student", "language", CharField(max_length=8, default="")),
        migrator.add_column("student", "reminders_off", BooleanField(default=False)),
        migrator.add_column("appointment", "moved_from", DateField(null=True)),
        migrator.add_column("ticket", "notify_near", BooleanField(default=False)),
        migrator.add_column("ticket", "near_notified", BooleanField(default=False)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("message", "message_student_id_template_created_at"),
        migrator.drop_index("message", "message_student_id"),
        migrator.drop_column("message", "student_id"),
        migrator.drop_column("message", "language"),
        migrator.drop_column("message", "skip_reason"),
        migrator.drop_column("message", "attempts"),
        migrator.drop_column("message", "send_after"),
        migrator.drop_column("message", "sent_at"),
        migrator.drop_column("student", "language"),
        migrator.drop_column("student", "reminders_off"),
        migrator.drop_column("appointment", "moved_from"),
        migrator.drop_column("ticket", "notify_near"),
        migrator.drop_column("ticket", "near_notified"),
    )
