"""What outreach works from and leaves behind: graduate rosters (花名册) and school visits."""

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField, UUIDField

from .base import BaseModel, utcnow
from .centre import Centre, School
from .fields import BlindIndexField, IdNumberField
from .identity import User


class RosterImport(BaseModel):
    """One upload of a school's graduate roster; its rows replace the school's earlier ones."""

    centre = ForeignKeyField(Centre, backref="roster_imports")
    school = ForeignKeyField(School, backref="roster_imports")
    filename = CharField(default="")
    rows = IntegerField(default=0)
    imported_by = ForeignKeyField(User, null=True, backref="roster_imports")
    imported_at = DateTimeField(default=utcnow)


class RosterEntry(BaseModel):
    """A graduating student on a school's roster."""

    centre = ForeignKeyField(Centre, backref="roster_entries")
    school = ForeignKeyField(School, backref="roster_entries")
    roster_import = ForeignKeyField(RosterImport, null=True, backref="entries", on_delete="SET NULL")
    id_number = IdNumberField(index_field="id_number_index")
    id_number_index = BlindIndexField()
    name = CharField()
    class_name = CharField(default="")
    mobile = CharField(max_length=11, default="")

    class Meta:
        indexes = ((("school", "id_number_index"), True), (("centre", "id_number_index"), False))


class SchoolVisit(BaseModel):
    """An outreach visit: leaflets handed out and students reached, captured offline."""

    centre = ForeignKeyField(Centre, backref="school_visits")
    uuid = UUIDField(unique=True)
    revision = IntegerField(default=1)
    school = ForeignKeyField(School, backref="visits")
    visited_on = DateField()
    leaflets = IntegerField(default=0)
    students_reached = IntegerField(default=0)
    notes = TextField(default="")
    captured_by = ForeignKeyField(User, null=True, backref="school_visits")
    device_id = CharField(max_length=64, default="")
    captured_at = DateTimeField(null=True)
    received_at = DateTimeField(default=utcnow)
    sent_by = ForeignKeyField(User, null=True, backref="sent_school_visits")
    clock_skew = IntegerField(null=True)
    clock_flag = CharField(max_length=20, default="")


class CaptureDevice(BaseModel):
    """A device (its outbox's random id) on which a user has worked signed in. A record
    captured by one user and sent under another's session is taken as its capturer's only from
    a device the capturer used: a shared phone, never a made-up claim."""

    user = ForeignKeyField(User, backref="capture_devices", on_delete="CASCADE")
    device_id = CharField(max_length=64)
    first_seen_at = DateTimeField(default=utcnow)
    last_seen_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "device_id"), True),)
