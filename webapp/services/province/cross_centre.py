"""What the province centre does across the county centres of one deployment: every centre's
accepted loans of a year in one file, and a student looked up across centres, each search in
the audit log (it reads other centres' records)."""

from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.models import Application, Centre, PreRegistration, School, Season, Student, User
from webapp.services.casework.season_loans import is_loan
from webapp.services.common import audit
from webapp.services.common.id_numbers import InvalidIdNumber, parse_id_number
from webapp.services.reports import exports
from webapp.vocabulary import (
    CATEGORY_ONE_GROUPS,
    ApplicationStatus,
    Category,
    Level,
    PreregStatus,
    Role,
    Service,
    SpecialGroup,
)

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


def _per_centre(query, column) -> dict[int, int]:
    return dict(query.select(column, fn.COUNT(1)).group_by(column).tuples())


def overview() -> list[tuple[Centre, dict, dict]]:
    """Every centre with what its home page counts (seasons.centre_counts) and its current
    season's applications, acceptances and amount accepted (dashboard.season_numbers), in a few
    grouped queries over the whole province rather than several per centre."""
    centres = list(Centre.select().order_by(Centre.region_code))
    counts = {
        "schools": _per_centre(School.select().where(School.active), School.centre),
        "staff": _per_centre(User.select().where(User.role != Role.STUDENT), User.centre),
        "students": _per_centre(Student.select(), Student.centre),
        "pre_registrations": _per_centre(PreRegistration.select(), PreRegistration.centre),
    }
    # each centre's current season as seasons.current_season chooses it
    current = {}
    for season_id, centre_id, is_current, year in Season.select(
        Season.id, Season.centre, Season.is_current, Season.year
    ).tuples():
        chosen = current.get(centre_id)
        if chosen is None or (is_current, year) > chosen[1:]:
            current[centre_id] = (season_id, is_current, year)
    figures = {
        season_id: dict.fromkeys(("applications", "accepted", "accepted_amount"), 0)
        for season_id, *_ in current.values()
    }
    if figures:
        for season_id, kind, status, count, amount in (
            Application.select(
                Application.season,
                Application.kind,
                Application.status,
                fn.COUNT(Application.id),
                fn.SUM(Application.amount_requested),
            )
            .where(Application.season.in_(list(figures)))
            .group_by(Application.season, Application.kind, Application.status)
            .tuples()
        ):
            season = figures[season_id]
            if kind == Service.FIRST_LOAN and status != ApplicationStatus.DRAFT:
                season["applications"] += count
            if status == ApplicationStatus.ACCEPTED:
                season["accepted"] += count
                season["accepted_amount"] += amount or 0
    return [
        (
            centre,
            {key: by_centre.get(centre.id, 0) for key, by_centre in counts.items()},
            figures[current[centre.id][0]] if centre.id in current else {},
        )
        for centre in centres
    ]


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


STATISTICS_COLUMNS = [
    _l("Centre"),
    _l("First loans"),
    _l("First loans (yuan)"),
    _l("Renewals"),
    _l("Renewals (yuan)"),
    _l("Undergraduate and college"),
    _l("Undergraduate and college (yuan)"),
    _l("Postgraduate"),
    _l("Postgraduate (yuan)"),
    _l("From registered-poverty families"),
    _l("From registered-poverty families (yuan)"),
    _l("Other special groups"),
    _l("Other special groups (yuan)"),
    _l("All loans"),
    _l("All loans (yuan)"),
]


def statistics(year: int, centres: list[Centre]) -> list[list]:
    """The year's loans in the shape a province asks for: per centre and in total, first loans
    and renewals, undergraduate and postgraduate, students from registered-poverty families and
    from the other special groups of category 1, each as a number and an amount.

    A loan is what season_loans.is_loan counts (renewals approved online too). A special group is
    a tick of the hardship form among CATEGORY_ONE_GROUPS, or category 1 given at school; a
    student pre-approved for another reason (categories 2 to 4: sudden hardship, a grant holder,
    certified) or with none is in neither column."""
    category_one_at_school = PreRegistration.select(PreRegistration.student).where(
        (PreRegistration.category == Category.POVERTY)
        & PreRegistration.status.in_((PreregStatus.ACCEPTED, PreregStatus.MERGED))
    )
    rows = []
    for centre in centres:
        figures = [0] * (len(STATISTICS_COLUMNS) - 1)
        for kind, level, ticked, amount, category_one in (
            Application.select(
                Application.kind,
                Application.level,
                Application.special_groups,
                Application.amount_requested,
                Application.student.in_(category_one_at_school),
            )
            .join(Season)
            .where((Application.centre == centre) & (Season.year == year) & is_loan())
            .tuples()
        ):
            amount = amount or 0
            groups = set((ticked or "").split(",")) & CATEGORY_ONE_GROUPS
            columns = [0 if kind == Service.FIRST_LOAN else 2, 4 if level != Level.POSTGRADUATE else 6, 12]
            if SpecialGroup.REGISTERED_POVERTY in groups:
                columns.append(8)
            elif groups or category_one:
                columns.append(10)
            for column in columns:
                figures[column] += 1
                figures[column + 1] += amount
        rows.append([centre.name, *figures])
    total = [str(_l("Total"))] + [sum(row[i] for row in rows) for i in range(1, len(STATISTICS_COLUMNS))]
    return [*rows, total]
