"""What the province centre does across the county centres of one deployment: every centre's
accepted loans of a year in one file, and a student looked up across centres, each search in
the audit log (it reads other centres' records)."""

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l

from webapp.models import Application, Centre, Season, Student, User
from webapp.services.id_numbers import InvalidIdNumber, parse_id_number

from . import audit, exports

LOAN_COLUMNS = [_l("Centre"), *exports.LOAN_COLUMNS]
SEARCH_LIMIT = 50


def loan_years() -> list[int]:
    """The years any centre has a season for, newest first."""
    return [year for (year,) in Season.select(Season.year).distinct().order_by(Season.year.desc()).tuples()]


def accepted_loans(year: int) -> Iterator[list]:
    """Every centre's accepted loans of the year, a column naming the centre, centre by centre."""
    for season in (
        Season.select(Season, Centre).join(Centre).where(Season.year == year).order_by(Centre.region_code)
    ):
        for row in exports.accepted_loans(season):
            yield [season.centre.name, *row]


def find_students(query: str, user: User) -> list[tuple[Student, Application | None]]:
    """Students of any centre by exact ID number or by name, with their latest application;
    the search (what kind of query, how many found) goes to the audit log."""
    query = query.strip()
    try:
        condition = Student.id_number_index == parse_id_number(query).number
        kind = "id_number"
    except InvalidIdNumber:
        condition = Student.name == query  # a whole name: no browsing of a province by a surname
        kind = "name"
    students = list(
        Student.select(Student, Centre)
        .join(Centre)
        .where(condition)
        .order_by(Centre.region_code)
        .limit(SEARCH_LIMIT)
    )
    latest = {}
    if students:
        for application in (
            Application.select()
            .where(Application.student.in_([s.id for s in students]))
            .order_by(Application.id)
        ):
            latest[application.student_id] = application
    audit.record("province.student_search", None, actor=user, query_kind=kind, found=len(students))
    return [(student, latest.get(student.id)) for student in students]
