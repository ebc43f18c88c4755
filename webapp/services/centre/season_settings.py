"""Setting up a season: its windows, policy numbers, daily quotas and closed days; copying last
season's settings into a new one; the centre's contact details printed on documents."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from webapp.db import database
from webapp.models import Centre, ClosedDay, Season, User
from webapp.services.booking import quotas
from webapp.services.casework import loan_rules
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.national import national_codes
from webapp.vocabulary import Service

# field → (lowest, highest) for the whole numbers of a season
NUMBERS = {
    "cap_undergraduate": (1000, 100000),
    "cap_postgraduate": (1000, 100000),
    "min_amount": (0, 100000),
    "term_extra_years": (0, 30),
    "term_max_years": (1, 40),
    "grace_years": (0, 10),
    "lpr_spread_bp": (-500, 500),
    "booking_cutoff_hours": (0, 168),
    "student_min_age": (10, 60),
    "student_max_age": (10, 80),
    "co_borrower_min_age": (18, 30),
    "other_co_borrower_min_age": (18, 70),
    "other_co_borrower_max_age": (18, 100),
}
DATES = (
    "acceptance_start",
    "acceptance_end",
    "contract_change_start",
    "contract_change_end",
    "confirmation_deadline",
)


RELIEF_NOTE_LIMIT = 2000


class SetupErrors(FieldErrors):
    pass


@dataclass
class SeasonValues:
    """What the season form sends, already parsed (None where a number or date is unreadable)."""

    name: str
    year: int | None
    acceptance_start: date | None
    acceptance_end: date | None
    contract_change_start: date | None
    contract_change_end: date | None
    cap_undergraduate: int | None
    cap_postgraduate: int | None
    min_amount: int | None
    term_extra_years: int | None
    term_max_years: int | None
    grace_years: int | None
    lpr_spread_bp: int | None
    booking_cutoff_hours: int | None
    student_min_age: int | None
    student_max_age: int | None
    co_borrower_min_age: int | None
    other_co_borrower_min_age: int | None
    other_co_borrower_max_age: int | None
    papers_to_follow: bool = True
    confirmation_deadline: date | None = None
    postgraduates_here: bool = True
    relief_note: str = ""


def _check(values, season):
    errors = {}
    if not (values.name or "").strip():
        errors["name"] = _l("Enter the season's name.")
    if len(values.relief_note or "") > RELIEF_NOTE_LIMIT:
        errors["relief_note"] = _l("At most %(n)d characters.", n=RELIEF_NOTE_LIMIT)
    if values.year is None or not 2000 <= values.year <= 2100:
        errors["year"] = _l("Enter a whole number from %(low)s to %(high)s.", low=2000, high=2100)
    for name, (low, high) in NUMBERS.items():
        value = getattr(values, name)
        if value is None or not low <= value <= high:
            errors[name] = _l("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
    for name in ("acceptance_start", "acceptance_end"):
        if getattr(values, name) is None:
            errors[name] = _l("Enter a date.")
    if (
        not errors.get("acceptance_end")
        and values.acceptance_start
        and values.acceptance_end
        and values.acceptance_end < values.acceptance_start
    ):
        errors["acceptance_end"] = _l("The window ends after it starts.")
    if (values.contract_change_start is None) != (values.contract_change_end is None):
        errors["contract_change_end"] = _l("Give both dates of the contract-change window, or neither.")
    elif values.contract_change_start and values.contract_change_end < values.contract_change_start:
        errors["contract_change_end"] = _l("The window ends after it starts.")
    if (
        values.confirmation_deadline
        and values.acceptance_start
        and values.confirmation_deadline < values.acceptance_start
    ):
        errors["confirmation_deadline"] = _l("The deadline comes after the acceptance window opens.")
    elif (
        values.confirmation_deadline
        and values.acceptance_end
        and values.confirmation_deadline < values.acceptance_end
    ):
        errors["confirmation_deadline"] = _l(
            "The deadline comes after the acceptance window closes, or a loan accepted on its last days is overdue the day it is made."
        )
    if not {"min_amount", "cap_undergraduate", "cap_postgraduate"} & set(errors) and values.min_amount > min(
        values.cap_undergraduate, values.cap_postgraduate
    ):
        errors["min_amount"] = _l("The smallest loan cannot be above the caps.")
    for name, message in loan_rules.check_policy_numbers(
        {name: getattr(values, name) for name in NUMBERS if name not in errors}
    ).items():
        errors.setdefault(name, message)
    duplicate = Season.select().where((Season.centre == season.centre) & (Season.year == values.year))
    if season.id:
        duplicate = duplicate.where(Season.id != season.id)
    if "year" not in errors and duplicate.exists():
        errors["year"] = _l("This centre already has a season for that year.")
    if season.id and not errors:
        errors.update(_bookings_outside(season, values))
    return errors


def _bookings_outside(season, values):
    """A window cannot shrink past the bookings already made in it."""
    errors = {}
    for field, start, end, services in (
        (
            "acceptance_end",
            values.acceptance_start,
            values.acceptance_end,
            (Service.FIRST_LOAN, Service.RENEWAL),
        ),
        (
            "contract_change_end",
            values.contract_change_start,
            values.contract_change_end,
            (Service.CONTRACT_CHANGE,),
        ),
    ):
        count = quotas.held_outside(season, start, end, services)
        if count:
            errors[field] = _l("%(n)d bookings fall outside these dates; move or cancel them first.", n=count)
    return errors


def save_season(season: Season, values: SeasonValues, user: User) -> Season:
    """Create (season without id) or change a season; every field is checked first."""
    errors = _check(values, season)
    if errors:
        raise SetupErrors(errors)
    changes = {}
    for name in (
        ("name", "year", "papers_to_follow", "postgraduates_here", "relief_note") + DATES + tuple(NUMBERS)
    ):
        new = getattr(values, name)
        new = new.strip() if isinstance(new, str) else new
        if getattr(season, name, None) != new:
            changes[name] = [str(getattr(season, name, None)), str(new)]
            setattr(season, name, new)
    with database.atomic():
        creating = season.id is None
        season.save()
        if creating:
            quotas.create_defaults(season)
        audit.record("season.created" if creating else "season.changed", season, actor=user, changes=changes)
    return season


def reopen_day(closed: ClosedDay, user: User) -> None:
    closed.delete_instance()
    audit.record("season.reopened_day", closed.season, actor=user, day=closed.day)


def copy_year_error(previous: Season, year: int | None) -> LazyString | None:
    """The year typed for a copy of a season, or a message (never a 500 on odd input)."""
    if year is None or not 2000 <= year <= 2100:
        return _l("Enter a whole number from %(low)s to %(high)s.", low=2000, high=2100)
    if Season.select().where((Season.centre == previous.centre) & (Season.year == year)).exists():
        return _l("This centre already has a season for that year.")
    return None


def carried_numbers(previous: Season, year: int) -> dict[str, dict]:
    """What a copy into that year carries, number by number: the policy defaults of the year
    (services/casework/loan_rules.py POLICY_TABLE), which the admin confirms, beside the value of the
    season copied. A cap that changed in between is never carried over silently. The age settings
    are the centre's own and are carried as they are."""
    defaults = loan_rules.policy_defaults(year)
    return {
        name: {"previous": getattr(previous, name), "proposed": getattr(defaults, name)}
        for name in loan_rules.POLICY_NUMBERS
    }


def copy_season(previous: Season, year: int, user: User, numbers: dict[str, int | None]) -> Season:
    """A new season with last season's windows moved to the new year and its quotas copied,
    the policy numbers the admin confirmed and the centre's age settings; closed days and the
    relief note are not copied (holidays move from year to year, relief is decided each year)."""
    error = copy_year_error(previous, year)
    if error:
        raise SetupErrors({"year": error})
    shift = year - previous.year

    def moved(day):
        if day is None:
            return None
        try:
            return day.replace(year=day.year + shift)
        except ValueError:  # 29 February
            return day.replace(year=day.year + shift, day=28)

    values = SeasonValues(
        name=previous.name.replace(str(previous.year), str(year)),
        year=year,
        booking_cutoff_hours=previous.booking_cutoff_hours,
        papers_to_follow=previous.papers_to_follow,
        postgraduates_here=previous.postgraduates_here,
        **{name: moved(getattr(previous, name)) for name in DATES},
        **{name: numbers.get(name) for name in loan_rules.POLICY_NUMBERS},
        **{name: getattr(previous, name) for name in loan_rules.AGE_SETTINGS},
    )
    with database.atomic():
        season = save_season(Season(centre=previous.centre), values, user)
        quotas.copy(previous, season)
    return season


def make_current(season: Season, user: User) -> None:
    """The season students book in and the pages show; only one per centre."""
    with database.atomic():
        Season.update(is_current=False).where(Season.centre == season.centre).execute()
        Season.update(is_current=True).where(Season.id == season.id).execute()
        audit.record("season.made_current", season, actor=user)


def save_centre(
    centre: Centre,
    name: str | None,
    name_en: str | None,
    address: str | None,
    phone: str | None,
    user: User,
    patterns: dict | None = None,
) -> None:
    """The centre's contact details, printed on every document, and the patterns of the
    national system's codes (services/national/national_codes.py); empty patterns take the defaults."""
    patterns = {name: (value or "").strip() for name, value in (patterns or {}).items()}
    errors = {
        name: message for name, value in patterns.items() if (message := national_codes.pattern_error(value))
    }
    if not (name or "").strip():
        errors["name"] = _l("Enter the centre's name.")
    if errors:
        raise SetupErrors(errors)
    old = {"name": centre.name, "name_en": centre.name_en, "address": centre.address, "phone": centre.phone}
    centre.name, centre.name_en = name.strip(), (name_en or "").strip()
    centre.address, centre.phone = (address or "").strip(), (phone or "").strip()
    for field_name, value in patterns.items():
        setattr(centre, field_name, value)
    centre.save()
    audit.record("centre.changed", centre, actor=user, old=old)
