"""Publicity at schools: leaflets handed out and students reached, from the visit log, against
the graduates on each school's roster and the pre-registrations made there."""

from dataclasses import dataclass

from peewee import fn

from webapp.models import Centre, PreRegistration, RosterEntry, School, SchoolVisit
from webapp.vocabulary import PreregStatus

# A pre-registration counts once the centre holds it as a real person's record.
COUNTED = (PreregStatus.ACCEPTED, PreregStatus.MERGED)


@dataclass
class SchoolReach:
    school: School
    visits: int
    leaflets: int
    reached: int
    graduates: int
    pre_registrations: int
    graduates_pre_registered: int

    @property
    def coverage_percent(self) -> int | None:
        """Graduates on the roster who are pre-registered, per hundred on the roster (at most
        100); None without a roster. Students reached at visits are not graduates counted once:
        staff count heads, and the same student may hear of the loan twice."""
        return round(self.graduates_pre_registered * 100 / self.graduates) if self.graduates else None


def _per_school(query, value):
    return dict(query.select(query.model.school, value).group_by(query.model.school).tuples())


def reach(centre: Centre) -> list[SchoolReach]:
    """One row per active school, schools with the most graduates first."""
    visits = SchoolVisit.select().where(SchoolVisit.centre == centre)
    visit_counts = _per_school(visits, fn.COUNT(SchoolVisit.id))
    leaflets = _per_school(visits, fn.SUM(SchoolVisit.leaflets))
    reached = _per_school(visits, fn.SUM(SchoolVisit.students_reached))
    graduates = _per_school(
        RosterEntry.select().where(RosterEntry.centre == centre), fn.COUNT(RosterEntry.id)
    )
    preregs = _per_school(
        PreRegistration.select().where(
            (PreRegistration.centre == centre) & PreRegistration.status.in_(COUNTED)
        ),
        fn.COUNT(PreRegistration.id),
    )
    on_roster = dict(
        PreRegistration.select(RosterEntry.school, fn.COUNT(fn.DISTINCT(PreRegistration.roster_entry)))
        .join(RosterEntry, on=(PreRegistration.roster_entry == RosterEntry.id))
        .where((PreRegistration.centre == centre) & PreRegistration.status.in_(COUNTED))
        .group_by(RosterEntry.school)
        .tuples()
    )
    rows = [
        SchoolReach(
            school,
            visit_counts.get(school.id, 0),
            leaflets.get(school.id) or 0,
            reached.get(school.id) or 0,
            graduates.get(school.id, 0),
            preregs.get(school.id, 0),
            on_roster.get(school.id, 0),
        )
        for school in School.select().where((School.centre == centre) & School.active)
    ]
    return sorted(rows, key=lambda row: (-row.graduates, row.school.name))
