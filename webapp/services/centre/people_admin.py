"""Staff accounts and schools of a centre, as the admin keeps them: created, changed,
deactivated (never deleted: records point to them), and passwords reset."""

import secrets

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect

from webapp.models import Centre, School, User
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors
from webapp.services.identity import sign_in_sessions
from webapp.services.identity.accounts import AccountError, create_staff_user
from webapp.services.identity.passwords import hash_password
from webapp.vocabulary import STAFF_ROLES, Role, SchoolKind

PASSWORD_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # noqa: S105 (an alphabet, not a password)
ADMIN_ROLES = tuple(role for role in STAFF_ROLES if role != Role.PROVINCE)


class PeopleErrors(FieldErrors):
    pass


def temporary_password() -> str:
    """Twelve characters without look-alikes, to read out or hand over on paper."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))


def staff(centre: Centre) -> ModelSelect:
    return (
        User.select()
        .where((User.centre == centre) & (User.role != Role.STUDENT))
        .order_by(User.active.desc(), User.role, User.name)
    )


def create_staff(
    centre: Centre, username: str | None, name: str | None, role: str, by: User
) -> tuple[User, str]:
    """A new staff account with a temporary password, returned once to hand over."""
    if role not in ADMIN_ROLES:
        raise PeopleErrors({"role": _l("Choose a role from the list.")})
    if not (name or "").strip():
        raise PeopleErrors({"name": _l("Enter the name.")})
    password = temporary_password()
    try:
        user = create_staff_user((username or "").strip(), name.strip(), role, password, centre=centre)
    except AccountError as exc:
        raise PeopleErrors({exc.field: exc.message}, exc.status) from None
    user.must_change_password = True
    user.save()
    audit.record("account.created_by_admin", user, actor=by, role=role)
    return user, password


def set_active(user: User, active: bool, by: User) -> None:
    """Deactivate (the account can no longer sign in) or reactivate; an admin keeps their own."""
    if user.id == by.id and not active:
        raise PeopleErrors({"_": _l("You cannot deactivate your own account.")}, 409)
    user.active = bool(active)
    user.save()
    if not active:
        sign_in_sessions.end_all(user)  # a reactivation later revives none of them
    audit.record("account.activated" if active else "account.deactivated", user, actor=by)


def reset_password(user: User, by: User) -> str:
    password = temporary_password()
    user.password_hash = hash_password(password)
    user.must_change_password = True
    user.save()
    sign_in_sessions.end_all(user)  # a reset ends the sessions the old password opened
    audit.record("account.password_reset", user, actor=by)
    return password


def save_school(
    school: School,
    name: str | None,
    kind: str,
    code: str | None,
    address: str | None,
    contact: str | None,
    by: User,
) -> School:
    """Create (school without id) or change a school of the centre."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _l("Enter the school's name.")
    if kind not in SchoolKind.values():
        errors["kind"] = _l("Choose a kind of school from the list.")
    same_name = School.select().where((School.centre == school.centre) & (School.name == name))
    if school.id:
        same_name = same_name.where(School.id != school.id)
    if name and same_name.exists():
        errors["name"] = _l("The centre already has a school with this name.")
    if errors:
        raise PeopleErrors(errors)
    creating = school.id is None
    school.name, school.kind = name, kind
    school.code, school.address, school.contact = (
        (code or "").strip(),
        (address or "").strip(),
        (contact or "").strip(),
    )
    school.save()
    audit.record("school.created" if creating else "school.changed", school, actor=by, name=name)
    return school


def set_school_active(school: School, active: bool, by: User) -> None:
    """A school no longer visited leaves the lists; its rosters and records stay."""
    school.active = bool(active)
    school.save()
    audit.record("school.activated" if active else "school.deactivated", school, actor=by)
