"""The policy's rules for one loan, in one place: the cap and minimum, the term, the study
period, and who may borrow with whom (ages and relations). Every path that takes a loan's
numbers (the student's steps, renewal, the desk's corrections, acceptance, offline capture)
calls these, so a rule cannot be walked around on one path and kept on another.

Each check returns the message to show, or None when the rule holds."""

from dataclasses import dataclass, fields
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from webapp.models import Application, Season
from webapp.vocabulary import Level, Relation, Sex

# Relations that may always stand beside a borrower under 18 (docs/domain.md sections 2 and 3).
PARENT_OR_GUARDIAN = (Relation.FATHER, Relation.MOTHER, Relation.GUARDIAN)
RELATION_SEX = {Relation.FATHER: Sex.MALE, Relation.MOTHER: Sex.FEMALE}


@dataclass(frozen=True)
class PolicyDefaults:
    """The policy numbers that apply from a year on, and the text they come from."""

    from_year: int
    source: str
    cap_undergraduate: int
    cap_postgraduate: int
    min_amount: int = 1000
    term_extra_years: int = 15
    term_max_years: int = 22
    grace_years: int = 5
    lpr_spread_bp: int = -60


@dataclass(frozen=True)
class AgeSettings:
    """Who may borrow by age: the centre's own settings, not national rules (docs/domain.md
    says where each default comes from). A new centre's season starts from these; a copied
    season carries the centre's values."""

    student_min_age: int = 15
    student_max_age: int = 45
    co_borrower_min_age: int = 18
    other_co_borrower_min_age: int = 22
    other_co_borrower_max_age: int = 60


# Oldest first. A season's defaults are those of the last row that starts no later than its year.
POLICY_TABLE = (
    PolicyDefaults(
        2023,
        "财政部 教育部 中国人民银行 国家金融监督管理总局《关于调整国家助学贷款有关政策的通知》"
        "(财教〔2023〕204号, 2023年9月): 本专科 16,000 元/年, 研究生 20,000 元/年, "
        "5年期以上LPR减60个基点",
        cap_undergraduate=16000,
        cap_postgraduate=20000,
    ),
    PolicyDefaults(
        2024,
        "财政部 教育部 中国人民银行 金融监管总局《关于调整完善国家助学贷款有关政策的通知》"
        "(财教〔2024〕188号, 2024年10月31日): 自2024年秋季学期起 本专科 20,000 元/年, "
        "研究生 25,000 元/年, 5年期以上LPR减70个基点",
        cap_undergraduate=20000,
        cap_postgraduate=25000,
        lpr_spread_bp=-70,
    ),
)
POLICY_NUMBERS = tuple(f.name for f in fields(PolicyDefaults) if f.name not in ("from_year", "source"))
AGE_DEFAULTS = AgeSettings()
AGE_SETTINGS = tuple(f.name for f in fields(AgeSettings))


def policy_defaults(year: int) -> PolicyDefaults:
    """The defaults a season of that year starts from (the oldest row before 2023)."""
    rows = [row for row in POLICY_TABLE if row.from_year <= year] or [POLICY_TABLE[0]]
    return rows[-1]


def age_on(birth_date: date, day: date) -> int:
    """Whole years of age on a day."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def amount_error(season: Season, level: str, amount: int | None) -> LazyString | None:
    """The yearly amount: at least the season's minimum, at most the cap of the level."""
    cap = season.cap_for(level)
    if amount is None or not season.min_amount <= amount <= cap:
        return _l(
            "Enter an amount from %(low)s to %(high)s yuan a year (the cap of this level is %(high)s).",
            low=season.min_amount,
            high=cap,
        )
    return None


def level_error(season: Season, level: str) -> LazyString | None:
    """Postgraduates borrow here unless the season sends them to their university's loan."""
    if level == Level.POSTGRADUATE and not season.postgraduates_here:
        return _l(
            "In this province postgraduates borrow through their university's campus-based loan (校园地国家助学贷款), not at the county centre. Ask your university's student-aid office."
        )
    return None


def year_of_study(season_year: int, admission_year: int) -> int:
    """The year of study in the season: admitted this autumn is year 1."""
    return season_year - admission_year + 1


def study_period_error(
    season_year: int, admission_year: int | None, study_years: int | None
) -> LazyString | None:
    """A first loan is for a course that is running or starts this season."""
    if admission_year is None or study_years is None:
        return None
    if admission_year > season_year:
        return _l("The year of admission cannot be after %(year)s.", year=season_year)
    if year_of_study(season_year, admission_year) > study_years:
        return _l(
            "A %(n)d-year course begun in %(start)s has ended by %(year)s; check the year of admission.",
            n=study_years,
            start=admission_year,
            year=season_year,
        )
    return None


def remaining_years(season_year: int, admission_year: int, study_years: int) -> int:
    """Years of study left, this season's year included (year 2 of 4 leaves 3)."""
    return study_years - year_of_study(season_year, admission_year) + 1


def loan_term(season: Season, remaining: int) -> int:
    """The remaining years of study plus the season's extra years, at most its maximum."""
    return min(remaining + season.term_extra_years, season.term_max_years)


def study_ended(loan: Application, season_year: int) -> bool:
    """Whether the study period of an earlier loan is over by that season."""
    if not (loan.admission_year and loan.study_years):
        return False
    return year_of_study(season_year, loan.admission_year) > loan.study_years


def student_age_error(season: Season, birth_date: date, day: date) -> LazyString | None:
    """A first loan is for a student of the season's ages on the day of application."""
    age = age_on(birth_date, day)
    if not season.student_min_age <= age <= season.student_max_age:
        return _l(
            "A first loan is for students aged %(low)d to %(high)d on the day of application; the ID number gives %(age)d.",
            low=season.student_min_age,
            high=season.student_max_age,
            age=age,
        )
    return None


def relation_sex_error(relation: str, sex: str | None) -> LazyString | None:
    """A father holds a man's ID number and a mother a woman's (the 17th character: odd for a
    man), on every path that names a parent with a number."""
    expected = RELATION_SEX.get(relation)
    if expected and sex and sex != expected:
        return _l(
            "A father's ID number is a man's and a mother's a woman's (the 17th character): check the relation or the number."
        )
    return None


def co_borrower_errors(
    season: Season,
    student_birth: date,
    co_borrower_birth: date,
    relation: str,
    day: date,
    co_borrower_sex: str | None = None,
) -> dict[str, LazyString]:
    """{field: message} for the co-borrower's age, relation and sex, as the season sets them."""
    errors = {}
    if message := relation_sex_error(relation, co_borrower_sex):
        errors["relation"] = message
    age = age_on(co_borrower_birth, day)
    if age < season.co_borrower_min_age:
        errors["id_number"] = _l(
            "The co-borrower must be at least %(n)d years old; the ID number gives %(age)d.",
            n=season.co_borrower_min_age,
            age=age,
        )
    elif relation not in PARENT_OR_GUARDIAN and not (
        season.other_co_borrower_min_age <= age <= season.other_co_borrower_max_age
    ):
        errors["id_number"] = _l(
            "A co-borrower who is not a parent or legal guardian must be %(low)d to %(high)d years old; the ID number gives %(age)d.",
            low=season.other_co_borrower_min_age,
            high=season.other_co_borrower_max_age,
            age=age,
        )
    if age_on(student_birth, day) < 18 and relation not in PARENT_OR_GUARDIAN:
        errors["relation"] = _l("A student under 18 borrows with a parent or legal guardian.")
    return errors


def check_policy_numbers(values: dict) -> dict[str, LazyString]:
    """{field: message} for age rules that contradict each other."""
    errors = {}
    pairs = (
        ("student_min_age", "student_max_age"),
        ("other_co_borrower_min_age", "other_co_borrower_max_age"),
    )
    for low, high in pairs:
        if values.get(low) is not None and values.get(high) is not None and values[low] > values[high]:
            errors[high] = _l("The upper age cannot be below the lower one.")
    return errors
