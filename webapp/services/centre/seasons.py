"""Looking up a centre's season and the figures staff home pages show."""

from webapp.clock import local_today
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


def public_centre(centres: list[Centre], chosen: str = "", own: Centre | None = None) -> Centre | None:
    """The centre a public page (/policy) speaks for: the one chosen (?centre=region code), the
    signed-in person's, else the one whose current season is open or coming, with its contacts:
    never a centre just added, with an ended season and no phone."""
    by_code = {c.region_code: c for c in centres}
    if chosen in by_code:
        return by_code[chosen]
    if own is not None and own.region_code in by_code:
        return by_code[own.region_code]
    today = local_today()
    # each centre's current season as current_season chooses it, in one query for the province
    current = {}
    for season in Season.select().order_by(Season.is_current, Season.year):
        current[season.centre_id] = season  # the last one wins: current first, then the newest

    def readiness(centre):
        season = current.get(centre.id)
        return (
            season is not None and season.acceptance_end is not None and season.acceptance_end >= today,
            bool(centre.phone or centre.address),
            season is not None,
        )

    return max(centres, key=readiness, default=None)  # the first of equals: the lowest code


def centre_counts(centre: Centre) -> dict[str, int]:
    return {
        "schools": School.select().where(School.centre == centre, School.active).count(),
        "staff": User.select().where(User.centre == centre, User.role != Role.STUDENT).count(),
        "students": Student.select().where(Student.centre == centre).count(),
        "pre_registrations": PreRegistration.select().where(PreRegistration.centre == centre).count(),
    }
