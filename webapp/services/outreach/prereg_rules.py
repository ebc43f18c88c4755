"""Field rules for a pre-registration or school visit captured on a device; the same rules the
offline form applies before saving."""

from datetime import date, datetime, timedelta, timezone

from flask_babel import lazy_gettext as _l

from webapp.clock import local_today
from webapp.input_checks import parse_record_id
from webapp.models import Centre, School, Season
from webapp.services.casework.loan_rules import relation_sex_error, student_age_error
from webapp.services.common.id_numbers import InvalidIdNumber, parse_id_number
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile
from webapp.services.common.one_line import line_break_error
from webapp.vocabulary import Category, Level, Relation

# What a device may send, in the order of the offline form, with the words of its labels.
SENT_FIELDS = {
    "school_id": _l("School"),
    "class_name": _l("Class"),
    "name": _l("Name"),
    "id_number": _l("Resident ID number"),
    "mobile": _l("Mobile number"),
    "guardian_name": _l("Guardian's name"),
    "guardian_relation": _l("Relation to the student"),
    "guardian_mobile": _l("Guardian's mobile number"),
    "guardian_id_number": _l("Guardian's ID number"),
    "category": _l("Pre-approved category"),
    "intended_university": _l("Intended university"),
    "intended_level": _l("Intended level"),
    "notes": _l("Notes"),
}
# The fields a pre-registration keeps as sent (the school is kept as the record it names).
PREREG_FIELDS = tuple(name for name in SENT_FIELDS if name != "school_id")

TEXT_LIMITS = {"name": 50, "class_name": 50, "guardian_name": 50, "intended_university": 100, "notes": 1000}


def _text(data, key):
    value = data.get(key, "")
    return value.strip() if isinstance(value, str) else ""


def _school(data, centre, errors, schools):
    """An active school of the centre; schools maps id to school when the caller has them."""
    raw = data.get("school_id")
    school_id = None if isinstance(raw, bool) else parse_record_id(raw)
    school = None
    if school_id is not None:
        if schools is not None:
            school = schools.get(school_id)
        else:
            school = School.get_or_none((School.id == school_id) & (School.centre == centre) & School.active)
    if school is None:
        errors["school_id"] = _l("Choose the school.")
    return school


def _optional_mobile(data, key, errors):
    value = _text(data, key)
    if not value:
        return ""
    try:
        return check_mobile(value)
    except InvalidMobile as exc:
        errors[key] = exc.message
        return ""


def _bounded_int(data, key, low, high, errors, message):
    raw = data.get(key, 0)
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = None
    if value is None or isinstance(raw, bool) or not low <= value <= high:
        errors[key] = message
        return 0
    return value


def clean_pre_registration(
    data: dict,
    centre: Centre,
    today: date | None = None,
    schools: dict[int, School] | None = None,
    season: Season | None = None,
) -> tuple[dict, dict]:
    """(clean values, errors by field). Only a record without errors is stored as data. With
    the season, the student's age is checked as a first loan's (services/casework/loan_rules.py)."""
    data = data if isinstance(data, dict) else {}
    errors, clean = {}, {}
    for key, limit in TEXT_LIMITS.items():
        clean[key] = _text(data, key)
        if len(clean[key]) > limit:
            errors[key] = _l("At most %(n)d characters.", n=limit)
        elif key != "notes" and (message := line_break_error(clean[key])):
            errors[key] = message
    if not clean["name"]:
        errors["name"] = _l("Enter the student's name.")
    try:
        clean["resident_id"] = parse_id_number(_text(data, "id_number"), today=today)
        clean["id_number"] = clean["resident_id"].number
        age_error = season and student_age_error(
            season, clean["resident_id"].birth_date, today or local_today()
        )
        if age_error:
            errors["id_number"] = age_error
    except InvalidIdNumber as exc:
        errors["id_number"] = exc.args[0]
    clean["mobile"] = _optional_mobile(data, "mobile", errors)
    clean["guardian_mobile"] = _optional_mobile(data, "guardian_mobile", errors)
    clean["school"] = _school(data, centre, errors, schools)
    clean["guardian_relation"] = _text(data, "guardian_relation")
    if clean["guardian_relation"] not in ("",) + Relation.values():
        errors["guardian_relation"] = _l("Choose father, mother, legal guardian, close relative or other.")
    clean["guardian_id_number"] = _text(data, "guardian_id_number")
    if clean["guardian_id_number"]:
        try:
            guardian = parse_id_number(clean["guardian_id_number"], today=today)
            clean["guardian_id_number"] = guardian.number
            if message := relation_sex_error(clean["guardian_relation"], guardian.sex):
                errors["guardian_relation"] = message
        except InvalidIdNumber as exc:
            errors["guardian_id_number"] = exc.args[0]
    clean["category"] = _bounded_int(
        data,
        "category",
        min(Category.values()),
        max(Category.values()),
        errors,
        _l("Choose a category from the list."),
    )
    clean["intended_level"] = _text(data, "intended_level")
    if clean["intended_level"] not in ("",) + Level.values():
        errors["intended_level"] = _l("Choose a level from the list.")
    return clean, errors


def clean_school_visit(
    data: dict, centre: Centre, today: date | None = None, schools: dict[int, School] | None = None
) -> tuple[dict, dict]:
    data = data if isinstance(data, dict) else {}
    today = today or local_today()
    errors, clean = {}, {}
    clean["school"] = _school(data, centre, errors, schools)
    try:
        clean["visited_on"] = date.fromisoformat(_text(data, "visited_on"))
        if not today - timedelta(days=366) <= clean["visited_on"] <= today:
            raise ValueError
    except ValueError:
        errors["visited_on"] = _l("Enter the date of the visit (within the past year).")
    clean["leaflets"] = _bounded_int(
        data, "leaflets", 0, 100000, errors, _l("Enter a whole number from 0 to 100,000.")
    )
    clean["students_reached"] = _bounded_int(
        data, "students_reached", 0, 10000, errors, _l("Enter a whole number from 0 to 10,000.")
    )
    clean["notes"] = _text(data, "notes")[:1000]
    return clean, errors


def parse_device_time(value: object) -> datetime | None:
    """The device's capture time as naive UTC, or None when absent or unreadable."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment
