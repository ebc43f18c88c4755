"""The day at the centre: appointments, tickets, the duty rota and incidents."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from webapp.vocabulary import HOLDING_PLACE, AppointmentStatus, Duty, TicketStatus

from .base import BaseModel, utcnow
from .casework import Application
from .centre import Centre, Season
from .fields import IdNumberField
from .people import Student, User


class Appointment(BaseModel):
    """A booked half-day at the window for one service."""

    centre = ForeignKeyField(Centre, backref="appointments")
    season = ForeignKeyField(Season, backref="appointments")
    student = ForeignKeyField(Student, backref="appointments")
    application = ForeignKeyField(Application, null=True, backref="appointments")
    service = CharField(max_length=20)
    day = DateField()
    half_day = CharField(max_length=10)
    code = CharField(max_length=12, unique=True)
    status = CharField(max_length=12, default=AppointmentStatus.BOOKED)
    # A return visit to sign the contract after the papers were received: booked by the desk,
    # it takes no place of the day's quota and its ticket goes to the front of the line.
    return_visit = BooleanField(default=False)
    # The day the centre closed, when the booking was moved (or cancelled to choose again).
    moved_from = DateField(null=True)
    created_at = DateTimeField(default=utcnow)
    cancelled_at = DateTimeField(null=True)

    class Meta:
        indexes = (
            (("centre", "day", "service", "half_day", "status"), False),
            (("season", "day", "status"), False),
        )  # the dashboard's pass over bookings

    @classmethod
    def holding_place(cls, *columns):
        """Bookings that hold a place of their half-day's quota: booked or checked in, and not a
        return visit for a contract (services/booking/quotas.py says why)."""
        return cls.select(*columns).where(cls.status.in_(HOLDING_PLACE) & ~cls.return_visit)

    @classmethod
    def not_cancelled(cls, *columns):
        """Every booking of a day that the desk and the dashboard count, no-shows included."""
        return cls.select(*columns).where(cls.status != AppointmentStatus.CANCELLED)


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
