"""A record of every printed document (form, slip, list, certificate) with its checksum."""

from peewee import *


def up(migrator, db):
    class Application(Model):
        class Meta:
            database = db
            table_name = "application"

    class Centre(Model):
        class Meta:
            database = db
            table_name = "centre"

    class IssuedDocument(Model):
        class Meta:
            database = db
            table_name = "issued_document"

    class PreRegistration(Model):
        class Meta:
            database = db
            table_name = "pre_registration"

    class Student(Model):
        class Meta:
            database = db
            table_name = "student"

    class User(Model):
        class Meta:
            database = db
            table_name = "user"

    class PrintedDocument(Model):
        centre = ForeignKeyField(Centre)
        kind = CharField(max_length=20)
        student = ForeignKeyField(Student, null=True)
        application = ForeignKeyField(Application, null=True)
        pre_registration = ForeignKeyField(PreRegistration, null=True)
        certificate = ForeignKeyField(IssuedDocument, null=True)
        locale = CharField(max_length=8, default="zh_Hans")
        pages = IntegerField(default=1)
        checksum = CharField(max_length=64)
        printed_by = ForeignKeyField(User, null=True)
        printed_at = DateTimeField(index=True)

        class Meta:
            database = db
            table_name = "printed_document"

    db.create_tables([PrintedDocument])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("printed_document"))
