"""Publicity at schools: leaflets handed out and students reached, from the visit log, against
the graduates on each school's roster and the pre-registrations made there."""

from dataclasses import dataclass

from peewee import fn

from webapp.models import Centre, PreRegistration, RosterEntry, School, SchoolVisit
from webapp.vocabulary import PreregStatus


@dataclass
class SchoolReach:
    school: School
    visits: int
    leaflets: int
    reached: int
    graduates: int
    pre_registrations: int

    @property
    def reach_percent(self) -> int | None:
        """Students reached per graduate on the roster, or None without a roster."""
        return round(self.reached * 100 / self.graduates) if self.graduates else None


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
            (PreRegistration.centre == centre)
            & PreRegistration.status.in_([PreregStatus.ACCEPTED, PreregStatus.MERGED])
        ),
        fn.COUNT(PreRegistration.id),
    )
    rows = [
        SchoolReach(
            school,
            visit_counts.get(school.id, 0),
            leaflets.get(school.id) or 0,
            reached.get(school.id) or 0,
            graduates.get(school.id, 0),
            preregs.get(school.id, 0),
        )
        for school in School.select().where((School.centre == centre) & School.active)
    ]
    return sorted(rows, key=lambda row: (-row.graduates, row.school.name))
