"""A student account waiting for the desk to confirm it is the person of a record made at
school (the captured mobile number could not prove it)."""

from peewee import *


def up(migrator, db):
    class Student(Model):
        class Meta:
            database = db
            table_name = "student"

    migrator.migrate(
        migrator.add_column(
            "user", "claimed_student_id", ForeignKeyField(Student, null=True, field=Student.id)
        )
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_index("user", "user_claimed_student_id"))
    migrator.migrate(migrator.drop_column("user", "claimed_student_id"))
