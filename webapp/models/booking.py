"""Booking: the places of each half-day (ServiceQuota), the days the centre is closed, and the
half-days students book (Appointment)."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

from webapp.vocabulary import HOLDING_PLACE, AppointmentStatus

from .base import BaseModel, utcnow
from .casework import Application
from .centre import Centre, Season
from .identity import Student


class ServiceQuota(BaseModel):
    """Daily places per service and half-day, e.g. 30 first-loan mornings."""

    season = ForeignKeyField(Season, backref="quotas", on_delete="CASCADE")
    service = CharField(max_length=20)
    half_day = CharField(max_length=10)
    places = IntegerField()

    class Meta:
        indexes = ((("season", "service", "half_day"), True),)


class ClosedDay(BaseModel):
    """A day inside the window when the centre does not take appointments."""

    season = ForeignKeyField(Season, backref="closed_days", on_delete="CASCADE")
    day = DateField()
    reason = CharField(default="")

    class Meta:
        indexes = ((("season", "day"), True),)


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
