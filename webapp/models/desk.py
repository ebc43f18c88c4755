"""The day at the centre: appointments, tickets, the duty rota and incidents."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.vocabulary import Duty, TicketStatus

from .base import BaseModel, utcnow
from .booking import Appointment
from .centre import Centre
from .fields import IdNumberField
from .identity import Student, User


class Ticket(BaseModel):
    """A queue number for the day, e.g. A017 (first loan) or B004 (renewal)."""

    centre = ForeignKeyField(Centre, backref="tickets")
    day = DateField()
    stream = CharField(max_length=2)
    number = IntegerField()
    service = CharField(max_length=20)
    appointment = ForeignKeyField(Appointment, null=True, unique=True, backref="tickets")
    student = ForeignKeyField(Student, null=True, backref="tickets")
    status = CharField(max_length=12, default=TicketStatus.WAITING)
    window = IntegerField(null=True)
    green_channel = BooleanField(default=False)
    green_reason = CharField(default="")
    # Walk-ins (no booking) may have no account: who they are is written on the ticket.
    walk_in = BooleanField(default=False)
    visitor_name = CharField(default="")
    visitor_id_number = IdNumberField()
    requeued = BooleanField(default=False)
    issued_at = DateTimeField(default=utcnow)
    # When the ticket joined the line of its service (check-in, admission, re-queue): the order.
    queued_at = DateTimeField(null=True)
    called_at = DateTimeField(null=True)
    wait_minutes = IntegerField(null=True)  # queued_at to called_at, kept for the dashboard
    called_by = ForeignKeyField(User, null=True, backref="called_tickets")
    served_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    # The student asked for a text message when few people are left before them (and got it).
    notify_near = BooleanField(default=False)
    near_notified = BooleanField(default=False)

    class Meta:
        indexes = (
            (("centre", "day", "stream", "number"), True),
            (("centre", "day", "service", "status"), False),
            (("centre", "day", "called_at", "wait_minutes"), False),
        )  # waiting by hour

    @property
    def label(self):
        return f"{self.stream}{self.number:03d}"


class DutyAssignment(BaseModel):
    """Who leads the hall on a given day (值班领导)."""

    centre = ForeignKeyField(Centre, backref="duty_assignments")
    day = DateField()
    user = ForeignKeyField(User, backref="duty_assignments")
    duty = CharField(max_length=20, default=Duty.LEADER)
    note = CharField(default="")

    class Meta:
        indexes = ((("centre", "day", "duty"), True),)


class Incident(BaseModel):
    """Something the duty leader must know or follow up: crowding, a complaint, a student who
    cannot come back the same day (the reference county's plan asks for a log of them)."""

    centre = ForeignKeyField(Centre, backref="incidents")
    day = DateField(index=True)
    kind = CharField(max_length=20)
    description = TextField()
    student = ForeignKeyField(Student, null=True, backref="incidents")
    reported_by = ForeignKeyField(User, backref="reported_incidents")
    created_at = DateTimeField(default=utcnow)
    follow_up = TextField(default="")
    closed_by = ForeignKeyField(User, null=True, backref="closed_incidents")
    closed_at = DateTimeField(null=True)
