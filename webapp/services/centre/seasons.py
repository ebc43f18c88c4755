"""Looking up a centre's season and the figures staff home pages show."""

from webapp.models import Centre, PreRegistration, School, Season, Student, User
from webapp.vocabulary import Role


def current_season(centre: Centre | None) -> Season | None:
    if centre is None:
        return None
    return (
        Season.select()
        .where(Season.centre == centre)
        .order_by(Season.is_current.desc(), Season.year.desc())
        .first()
    )


def centre_counts(centre: Centre) -> dict[str, int]:
    return {
        "schools": School.select().where(School.centre == centre, School.active).count(),
        "staff": User.select().where(User.centre == centre, User.role != Role.STUDENT).count(),
        "students": Student.select().where(Student.centre == centre).count(),
        "pre_registrations": PreRegistration.select().where(PreRegistration.centre == centre).count(),
    }
