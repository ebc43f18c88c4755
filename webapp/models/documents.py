"""Printed documents: each print of a form, slip, list or certificate, with its checksum."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from .base import BaseModel, utcnow
from .casework import Application, PreRegistration
from .centre import Centre
from .desk import IssuedDocument
from .people import Student, User


class PrintedDocument(BaseModel):
    """One PDF handed out: who printed which document, when, in which language, its SHA-256."""

    centre = ForeignKeyField(Centre, backref="printed_documents")
    kind = CharField(max_length=20)
    student = ForeignKeyField(Student, null=True, backref="printed_documents")
    application = ForeignKeyField(Application, null=True, backref="printed_documents")
    pre_registration = ForeignKeyField(PreRegistration, null=True, backref="printed_documents")
    certificate = ForeignKeyField(IssuedDocument, null=True, backref="prints")
    locale = CharField(max_length=8, default="zh_Hans")
    pages = IntegerField(default=1)
    checksum = CharField(max_length=64)
    printed_by = ForeignKeyField(User, null=True, backref="printed_documents")
    printed_at = DateTimeField(default=utcnow, index=True)
