"""Adding a county centre to a province's deployment (a province task): the centre, a season of the
current year with the policy defaults of that year, and the centre's first administrator with a
temporary password (changed at the first sign-in), all at once or not at all: no shell needed."""

from datetime import date

from flask_babel import lazy_gettext as _l

from webapp.clock import local_today
from webapp.db import database
from webapp.models import Centre, Season, User
from webapp.services.casework import loan_rules
from webapp.services.centre import people_admin, season_settings
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.common.id_numbers import known_region
from webapp.vocabulary import Role


class CentreErrors(FieldErrors):
    pass


# The first admin's fields on the province's form, by the names the staff service gives them.
ADMIN_FIELDS = {"username": "admin_username", "name": "admin_name"}


def create_centre(
    region_code: str,
    name: str,
    user: User | None = None,
    today: date | None = None,
    admin_username: str | None = None,
    admin_name: str | None = None,
) -> tuple[Centre, User | None, str]:
    """The centre, its current season and (when admin_username is given) its first admin with
    the temporary password to hand over; CentreErrors when a value is unusable."""
    region_code, name = (region_code or "").strip(), (name or "").strip()
    errors = {}
    if admin_username is not None and not (admin_name or "").strip():
        errors["admin_name"] = _l("Enter the administrator's name.")
    if not (len(region_code) == 6 and region_code.isdigit() and known_region(region_code)):
        errors["region_code"] = _l("Enter the county's six-digit region code, e.g. 140623.")
    elif Centre.select().where(Centre.region_code == region_code).exists():
        errors["region_code"] = _l("A centre with this region code already exists.")
    if not name:
        errors["name"] = _l("Enter the centre's name.")
    if errors:
        raise CentreErrors(errors)
    year = (today or local_today()).year
    defaults = loan_rules.policy_defaults(year)
    with database.atomic():
        centre = Centre.create(region_code=region_code, name=name)
        values = season_settings.SeasonValues(
            name=f"{year}年生源地信用助学贷款",
            year=year,
            acceptance_start=date(year, 7, 17),
            acceptance_end=date(year, 9, 25),
            contract_change_start=None,
            contract_change_end=None,
            booking_cutoff_hours=24,
            **{number: getattr(defaults, number) for number in loan_rules.POLICY_NUMBERS},
            **{name: getattr(loan_rules.AGE_DEFAULTS, name) for name in loan_rules.AGE_SETTINGS},
        )
        season = season_settings.save_season(Season(centre=centre, is_current=True), values, user)
        audit.record("centre.created", centre, actor=user, season=season.year)
        admin, password = None, ""
        if admin_username is not None:
            try:
                admin, password = people_admin.create_staff(
                    centre, admin_username, admin_name, Role.ADMIN, user
                )
            except people_admin.PeopleErrors as exc:
                raise CentreErrors(
                    {ADMIN_FIELDS.get(k, k): v for k, v in exc.errors.items()}, exc.status
                ) from None
    return centre, admin, password
