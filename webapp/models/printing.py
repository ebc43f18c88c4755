"""Documents: certificates issued (with their number and verification code) and each print of
a form, slip, list or certificate, with its checksum."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, utcnow
from .casework import Application, PreRegistration
from .centre import Centre
from .identity import Student, User


class IssuedDocument(BaseModel):
    """Every printed form or certificate: who, when, which, and its checksum."""

    centre = ForeignKeyField(Centre, backref="issued_documents")
    kind = CharField(max_length=20)
    student = ForeignKeyField(Student, null=True, backref="documents")
    application = ForeignKeyField(Application, null=True, backref="documents")
    number = CharField(max_length=32, null=True, unique=True)
    verification_code = CharField(max_length=16, null=True)
    checksum = CharField(max_length=64, default="")
    issued_by = ForeignKeyField(User, null=True, backref="issued_documents")
    issued_at = DateTimeField(default=utcnow)
    revoked_at = DateTimeField(null=True)
    revoked_reason = TextField(default="")


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
