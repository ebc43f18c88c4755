"""The duty rota (值班安排): one duty leader per day, whom the desk and the screen show."""

from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect

from webapp.input_checks import parse_record_id
from webapp.models import Centre, DutyAssignment, User
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.vocabulary import Duty, Role

DUTY_ROLES = (Role.LEADER, Role.ADMIN)


class DutyError(FieldErrors):
    """The leader chosen is not one of the centre's."""

    def __init__(self, message):
        super().__init__({"leader": message})


def duty_leader(centre: Centre, day: date) -> str | None:
    """The name of the day's duty leader, or None."""
    row = (
        DutyAssignment.select(DutyAssignment, User)
        .join(User)
        .where(
            (DutyAssignment.centre == centre)
            & (DutyAssignment.day == day)
            & (DutyAssignment.duty == Duty.LEADER)
        )
        .first()
    )
    return row.user.name if row else None


def eligible_leaders(centre: Centre) -> ModelSelect:
    return (
        User.select()
        .where((User.centre == centre) & User.role.in_(DUTY_ROLES) & (User.active == True))  # noqa: E712
        .order_by(User.name)
    )


def assign(centre: Centre, day: date, choice: str | int | None, by: User) -> DutyAssignment | None:
    """Make the chosen user (their id, as the form sends it) the duty leader of the day,
    replacing whoever was; an empty choice clears the day."""
    leader_id = parse_record_id(choice)
    if choice and leader_id is None:
        raise DutyError(_l("Choose a duty leader of this centre."))
    current = DutyAssignment.get_or_none(
        (DutyAssignment.centre == centre) & (DutyAssignment.day == day) & (DutyAssignment.duty == Duty.LEADER)
    )
    if leader_id is None:
        if current is not None:
            current.delete_instance()
            audit.record("duty.cleared", current, actor=by, centre=centre, day=day)
        return None
    leader = eligible_leaders(centre).where(User.id == leader_id).first()
    if leader is None:
        raise DutyError(_l("Choose a duty leader of this centre."))
    current = current or DutyAssignment(centre=centre, day=day, duty=Duty.LEADER)
    current.user = leader
    current.save()
    audit.record("duty.assigned", current, actor=by, centre=centre, day=day, leader=leader.name)
    return current


def rota(centre: Centre, first_day: date, days: int = 14) -> list[tuple[date, User | None]]:
    """The next days with their duty leader (None when nobody is assigned)."""
    rows = (
        DutyAssignment.select(DutyAssignment, User)
        .join(User)
        .where(
            (DutyAssignment.centre == centre)
            & (DutyAssignment.duty == Duty.LEADER)
            & DutyAssignment.day.between(first_day, first_day + timedelta(days=days - 1))
        )
    )
    by_day = {row.day: row.user for row in rows}
    return [(first_day + timedelta(days=n), by_day.get(first_day + timedelta(days=n))) for n in range(days)]
