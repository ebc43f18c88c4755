"""Finding any student of the centre at the desk, not only today's bookings: a walk-in, or a
student who came on the wrong day, by name, ID number (or its last digits), mobile number or
booking code. Another centre's students are never found."""

import re

from webapp.models import Application, Appointment, Centre, Student
from webapp.services.common.id_numbers import InvalidIdNumber, as_last_digits, parse_id_number
from webapp.services.common.mobile_numbers import as_mobile

LIMIT = 20
CODE = re.compile(r"^[A-Z0-9]{6}$")


def find_students(centre: Centre, query: str | None, limit: int = LIMIT) -> list[Student]:
    """Students of the centre matching the query, by name first."""
    query = (query or "").strip().upper()
    if not query:
        return []
    condition = Student.name.contains(query)
    try:
        condition |= Student.id_number_index == parse_id_number(query).number
    except InvalidIdNumber:
        pass
    last_digits, mobile = as_last_digits(query), as_mobile(query)
    if last_digits:
        condition |= Student.id_number_last4 == last_digits
    if mobile:
        condition |= Student.mobile == mobile
    if CODE.match(query):
        booked = Appointment.select(Appointment.student).where(
            (Appointment.centre == centre) & (Appointment.code == query)
        )
        condition |= Student.id.in_(booked)
    return list(
        Student.select().where((Student.centre == centre) & condition).order_by(Student.name).limit(limit)
    )


def applications_of(students: list[Student], season) -> dict[int, Application]:
    """Each student's first loan or renewal of the season, by student id."""
    if not students or season is None:
        return {}
    return {
        application.student_id: application
        for application in Application.select().where(
            (Application.season == season) & Application.student.in_([s.id for s in students])
        )
    }
