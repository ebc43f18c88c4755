"""A walk-in whom the centre has never met (no account, no pre-registration): the window makes the
student's record from the ID card in hand (name, ID number, a mobile) and links the ticket, so
the application can be typed for them at once. One record per ID number: a number this centre
already holds is that record; one another centre holds is refused (the province moves records)."""

from flask_babel import lazy_gettext as _l

from webapp.db import database, lock_keys
from webapp.models import Student, Ticket, User
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.common.id_numbers import InvalidIdNumber, parse_id_number
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile
from webapp.services.common.one_line import line_break_error

NAME_LIMIT = 50


class WalkInStudentErrors(FieldErrors):
    pass


def record_for(
    ticket: Ticket, name: str | None, id_number: str | None, mobile: str | None, user: User
) -> Student:
    """The student of the ticket: made now from the ID card, or the centre's record of that number."""
    errors = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _l("Enter the name as on the ID card.")
    elif len(name) > NAME_LIMIT or line_break_error(name):
        errors["name"] = _l("At most %(n)d characters, on one line.", n=NAME_LIMIT)
    try:
        rid = parse_id_number(id_number)
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.args[0]
    number = ""
    if (mobile or "").strip():
        try:
            number = check_mobile(mobile)
        except InvalidMobile as exc:
            errors["mobile"] = exc.message
    if errors:
        raise WalkInStudentErrors(errors)
    with database.atomic():
        lock_keys([f"id-number:{rid.number}"])
        student = Student.get_or_none(Student.id_number_index == rid.number)
        if student is not None and student.centre_id != ticket.centre_id:
            raise WalkInStudentErrors(
                {
                    "id_number": _l(
                        "Another centre holds the record of this ID number; ask the province to move it."
                    )
                },
                409,
            )
        if student is None:
            student = Student.create(
                centre=ticket.centre,
                id_number=rid.number,
                name=name,
                birth_date=rid.birth_date,
                sex=rid.sex,
                mobile=number,
            )
            audit.record("student.created_at_desk", student, actor=user, ticket=ticket.label)
        Ticket.update(student=student).where(Ticket.id == ticket.id).execute()
        ticket.student = student
    return student
