"""Accounts: student sign-up, sign-in by ID number, mobile or username, staff creation."""

import re
import secrets
import unicodedata

from flask_babel import lazy_gettext as _l
from peewee import IntegrityError, fn

from webapp import id_crypto
from webapp.db import database, lock_keys
from webapp.input_checks import parse_record_id
from webapp.models import Centre, PreRegistration, Student, User, utcnow
from webapp.services.common import audit
from webapp.services.common.errors import FieldErrors, RuleError
from webapp.services.common.id_numbers import ID_NUMBER_RE, InvalidIdNumber, parse_id_number
from webapp.services.common.mobile_numbers import MOBILE_RE, InvalidMobile, check_mobile, normalise_mobile
from webapp.services.identity import sign_in_sessions
from webapp.services.identity.one_time_codes import check_code, request_code, spend_code
from webapp.services.identity.passwords import dummy_hash, hash_password, needs_rehash, verify_password
from webapp.services.messaging import messages
from webapp.vocabulary import STAFF_ROLES, AuditAction, ClaimReason, CodePurpose, MessageTemplate, Role

MIN_PASSWORD_LENGTH = 8
MIN_PASSWORD_SCORE = 2  # zxcvbn: 0-1 are guessed within about a million tries


class AccountError(FieldErrors):
    """A rule was broken; field names the form field the message belongs next to."""

    def __init__(self, field, message, conflict=False):
        super().__init__({field: message}, status=409 if conflict else 422)
        self.field = field


def _mobile(value):
    try:
        return check_mobile(value)
    except InvalidMobile as exc:
        raise AccountError("mobile", exc.message) from None


def check_password(value: str | None, *personal: str) -> str | None:
    """At least MIN_PASSWORD_LENGTH characters and not among the passwords guessed first
    (zxcvbn's estimate, which knows common passwords, keyboard runs, dates and the person's own
    name, username or number given as personal)."""
    if len(value or "") < MIN_PASSWORD_LENGTH:
        raise AccountError("password", _l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))
    # imported here: its word lists take about 11 MB, which a worker that never sets a password
    # should not carry
    from zxcvbn import zxcvbn

    if zxcvbn(value, user_inputs=[p for p in personal if p])["score"] < MIN_PASSWORD_SCORE:
        raise AccountError(
            "password",
            _l("This password is among the first ones guessed. Use a longer phrase of your own."),
        )
    return value


def change_password(user: User, current: str | None, new: str | None, confirm: str | None) -> User:
    """The user's own new password; every other session of theirs ends."""
    if not verify_password(user.password_hash, current or ""):
        if user.must_change_password:
            raise AccountError("current", _l("Enter the temporary password you were given."))
        raise AccountError("current", _l("The current password is not right."))
    check_password(new, user.username, user.name, user.mobile or "")
    if new != confirm:
        raise AccountError("confirm", _l("The two passwords differ."))
    if verify_password(user.password_hash, new):
        raise AccountError("password", _l("Choose a password other than the current one."))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.save()
    sign_in_sessions.end_all(user, keep_current=True)
    audit.record("account.password_changed", user, actor=user)
    return user


def _reset_account(mobile: str) -> User | None:
    """The active student account signed in with this mobile: staff who forget a password ask
    their centre's admin."""
    return User.get_or_none((User.mobile == mobile) & (User.role == Role.STUDENT) & User.active)


def send_reset_code(mobile: str | None, ip: str) -> None:
    """A code to the account's mobile for a forgotten password, with sign-up's codes, limits and
    log; a number no account has is answered alike (the code is counted, and sent to nobody)."""
    mobile = _mobile(mobile)
    user = _reset_account(mobile)
    request_code(
        mobile, CodePurpose.PASSWORD_RESET, ip, user.centre if user else None, deliver=user is not None
    )


def reset_password(mobile: str | None, code: str | None, new: str | None, confirm: str | None) -> User:
    """A new password for the account of the mobile that received the code; every session of the
    account ends, so whoever knew the old password is out. The same refusal for an unknown
    number as for a wrong code."""
    mobile = _mobile(mobile)
    user = _reset_account(mobile)
    if user is None:
        raise FieldErrors({"code": _l("Ask for a code (it is valid for 10 minutes), then enter it here.")})
    sent = check_code(mobile, CodePurpose.PASSWORD_RESET, code, spend=False)  # a weak password costs a try
    check_password(new, user.username, user.name, user.mobile or "")
    if new != confirm:
        raise AccountError("confirm", _l("The two passwords differ."))
    with database.atomic():
        spend_code(sent)
        user.password_hash, user.must_change_password = hash_password(new), False
        user.save()
        sign_in_sessions.end_all(user)
        audit.record(AuditAction.ACCOUNT_PASSWORD_FORGOTTEN, user, actor=user)
    return user


def centre_for_region(region_code: str) -> Centre | None:
    """The centre of the student's household registration, or the only centre there is."""
    centre = Centre.get_or_none(Centre.region_code == region_code)
    if centre is None and Centre.select().count() == 1:
        centre = Centre.get()
    return centre


def choose_centre(region_code: str, centre_id: str | int | None = None) -> Centre:
    """The centre the student chose, else the one of the ID number's region. The first six
    digits say where the number was issued, not where the household is registered today, so
    the choice wins; AccountError when neither gives a centre."""
    if centre_id:
        centre_pk = parse_record_id(centre_id)
        centre = Centre.get_or_none(Centre.id == centre_pk) if centre_pk else None
        if centre is None:
            raise AccountError("centre", _l("Choose a centre from the list."))
        return centre
    centre = centre_for_region(region_code)
    if centre is None:
        raise AccountError(
            "centre",
            _l(
                "No centre matches the region of your ID number: choose the county aid centre where your household is registered now."
            ),
        )
    return centre


def student_username(id_number: str) -> str:
    """A student's account name: the blind index of the ID number (webapp/id_crypto.py), so
    the accounts table holds no ID number either; students sign in with the number itself."""
    return id_crypto.blind_index(id_number)


class NotCreated(FieldErrors):
    """The account cannot be made, and why goes by text message to the number just proven, so
    that the page does not tell a stranger whether an ID number has an account."""

    def __init__(self):
        super().__init__(
            {"id_number": _l("The account could not be created; a text message to your number says why.")},
            status=409,
        )


def register_student(
    id_number: str | None,
    name: str | None,
    mobile: str | None,
    password: str | None,
    centre_id: str | int | None = None,
    code: str | None = None,
) -> User:
    """Create the student's account in one transaction; AccountError on any broken rule. The
    mobile number is proven by the one-time code sent to it (services/identity/one_time_codes.py).

    A record the centre already holds (made at school, or from a roster) is linked at once when
    the name is the one recorded: the mobile just proven by its code becomes the record's (the
    old one, or none, goes to the audit log). Only a real conflict waits for the desk to check the
    ID card and household register (claimed_student, claim_reason): another name, or another
    account holding the record. A student whose chosen centre is not the ID number's region is
    flagged for the desk to check the 户口本."""
    try:
        rid = parse_id_number(id_number)
    except InvalidIdNumber as exc:
        raise AccountError("id_number", exc.args[0]) from None
    name = (name or "").strip()
    if not name:
        raise AccountError("name", _l("Enter your name as on your ID card."))
    mobile = _mobile(mobile)
    check_password(password, name, mobile, rid.number)
    centre = choose_centre(rid.region_code, centre_id)
    check_code(mobile, CodePurpose.SIGN_UP, code)
    if User.select().where(User.username == student_username(rid.number)).exists():
        messages.send(mobile, MessageTemplate.ID_NUMBER_HAS_ACCOUNT, {}, centre)
        raise NotCreated()
    with database.atomic():
        if User.select().where(User.mobile == mobile).exists():
            raise AccountError(
                "mobile", _l("This mobile number is already used by another account."), conflict=True
            )
        student = Student.get_or_none(Student.id_number_index == rid.number)
        account = {
            "role": Role.STUDENT,
            "name": name,
            "mobile": mobile,
            "password_hash": hash_password(password),
        }
        if student is None:
            student = Student.create(
                centre=centre,
                id_number=rid.number,
                name=name,
                birth_date=rid.birth_date,
                sex=rid.sex,
                mobile=mobile,
                household_to_check=centre.region_code != rid.region_code,
            )
        elif claim_reason(student, name) is not None:
            user = User.create(
                centre=student.centre,
                username=f"claim-{secrets.token_hex(8)}",
                claimed_student=student,
                **account,
            )
            audit.record("account.claim_waiting", user, actor=user, student=student.id)
            return user
        elif student.mobile != mobile:
            _take_proven_mobile(student, mobile)
        user = User.create(
            centre=student.centre, username=student_username(rid.number), student=student, **account
        )
        audit.record("account.signup", user, actor=user)
    return user


def claim_reason(student: Student, name: str) -> str | None:
    """Why a sign-up with this name may not take the student's record at once, or None."""
    if User.select().where(User.student == student).exists():
        return ClaimReason.HELD_BY_ANOTHER
    if unicodedata.normalize("NFKC", name).strip() != unicodedata.normalize("NFKC", student.name).strip():
        return ClaimReason.NAME_DIFFERS
    return None


def waiting_reason(user: User) -> str | None:
    """For an account waiting for the desk: why (claim_reason of its sign-up, as things stand)."""
    if user.claimed_student_id is None:
        return None
    return claim_reason(user.claimed_student, user.name) or ClaimReason.NAME_DIFFERS


def _take_proven_mobile(student: Student, mobile: str) -> None:
    """The number the student just proved by its code replaces the one captured at school (a
    typing slip, a parent's phone) or the none captured; the pre-registrations follow."""
    old = student.mobile
    student.mobile = mobile
    student.save()
    PreRegistration.update(mobile=mobile).where(PreRegistration.student == student).execute()
    audit.record(
        AuditAction.STUDENT_MOBILE_PROVEN,
        student,
        actor=None,
        old=(old[:3] + "****" + old[-4:]) if old else "",
        new=mobile[:3] + "****" + mobile[-4:],
    )


def confirm_claim(user: User, by: User) -> User:
    """The desk saw the ID card and household register: the account becomes the student's.
    Two desks confirming two claims of one student at once: the student's lock makes the second
    wait, and it finds the record taken."""
    if user.claimed_student_id is None or user.student_id is not None:
        raise RuleError(_l("This account is not waiting for a check."))
    try:
        with database.atomic():
            lock_keys([f"student:{user.claimed_student_id}"])
            user = User.get_by_id(user.id)
            student = user.claimed_student
            if student is None or user.student_id is not None:
                raise RuleError(_l("This account is not waiting for a check."), status=409)
            username = student_username(student.id_number)
            if User.select().where((User.username == username) | (User.student == student)).exists():
                raise RuleError(_l("This student already has an account; refuse this one."), status=409)
            user.student, user.claimed_student, user.username = student, None, username
            user.save()
            if not student.mobile:
                student.mobile = user.mobile
                student.save()
            audit.record("account.claim_confirmed", user, actor=by, student=student.id)
    except IntegrityError:
        raise RuleError(_l("This student already has an account; refuse this one."), status=409) from None
    return user


def refuse_claim(user: User, by: User) -> None:
    """Not the person of the record: the account is closed (its sessions end)."""
    if user.claimed_student_id is None:
        raise RuleError(_l("This account is not waiting for a check."))
    student_id = user.claimed_student_id
    user.claimed_student, user.active = None, False
    user.save()
    sign_in_sessions.end_all(user)
    audit.record("account.claim_refused", user, actor=by, student=student_id)


def waiting_claims(centre: Centre):
    """Accounts of people who say they are a student of the centre, for the desk to check."""
    return (
        User.select(User, Student)
        .join(Student, on=(User.claimed_student == Student.id))
        .where((Student.centre == centre) & User.active & User.student.is_null())
        .order_by(User.created_at)
    )


def find_account(identifier: str | None) -> User | None:
    """Look up by username (staff), ID number (students, any case of X) or mobile, however
    typed: full-width digits, spaces and dashes inside an ID number or a mobile number."""
    ident = unicodedata.normalize("NFKC", identifier or "").strip()
    if not ident:
        return None
    user = User.get_or_none(fn.UPPER(User.username) == ident.upper())
    compact = normalise_mobile(ident).upper()
    if user is None and compact != ident.upper():
        user = User.get_or_none(fn.UPPER(User.username) == compact)
    if user is None and MOBILE_RE.match(compact):
        user = User.get_or_none(User.mobile == compact)
    if user is None and ID_NUMBER_RE.match(compact):
        user = User.get_or_none(User.username == student_username(compact))
    return user


def throttle_key(identifier: str | None) -> str:
    """What failed sign-ins are counted on: the account the identifier leads to, so that the
    same account typed five ways has five tries in all; else the identifier as normalised."""
    user = find_account(identifier)
    if user is not None:
        return f"user:{user.id}"
    return "id:" + normalise_mobile(identifier).upper()[:100]


def authenticate(identifier: str | None, password: str) -> User | None:
    """The active user whose password matches, or None. Rehashes old hashes on the way."""
    user = find_account(identifier)
    if user is None:
        verify_password(dummy_hash(), password)  # the same time spent, known or not
        return None
    if not user.active or not verify_password(user.password_hash, password):
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    user.save()
    return user


def _can_sign_in_by_code(user: User | None) -> bool:
    return user is not None and user.is_staff and user.active and bool(user.mobile)


def send_sign_in_code(identifier: str | None, ip: str) -> None:
    """A staff member whose sign-in is paused (by a stranger's wrong passwords, perhaps) gets a
    code on the mobile number registered to the account; for anyone else nothing is sent, and
    the page answers the same."""
    user = find_account(identifier)
    if _can_sign_in_by_code(user):
        request_code(user.mobile, CodePurpose.SIGN_IN, ip, user.centre)


def authenticate_with_code(identifier: str | None, code: str | None, password: str | None) -> User:
    """The staff member whose registered mobile received the code and whose password matches;
    sign-in pauses do not apply. FieldErrors otherwise, the same for every kind of mismatch."""
    user = find_account(identifier)
    if not _can_sign_in_by_code(user):
        verify_password(dummy_hash(), password or "")
        raise FieldErrors({"code": _l("Ask for a code (it is valid for 10 minutes), then enter it here.")})
    sent = check_code(user.mobile, CodePurpose.SIGN_IN, code, spend=False)  # a wrong password costs a try
    if not verify_password(user.password_hash, password or ""):
        raise FieldErrors({"password": _l("The password is not right.")})
    spend_code(sent)
    audit.record("account.signed_in_by_code", user, actor=user)
    return user


def create_staff_user(
    username: str,
    name: str,
    role: str,
    password: str,
    centre: Centre | None = None,
    mobile: str | None = None,
) -> User:
    if role not in STAFF_ROLES + (Role.PROVINCE,):
        raise AccountError("role", _l("Unknown role."))
    if not re.match(r"^[A-Za-z0-9_.-]{2,64}$", username or ""):
        raise AccountError("username", _l("Use 2 to 64 letters, digits, dots, dashes or underscores."))
    check_password(password, username, name)
    if role != Role.PROVINCE and centre is None:
        raise AccountError("centre", _l("Staff accounts belong to a centre."))
    if User.select().where(fn.UPPER(User.username) == username.upper()).exists():
        raise AccountError("username", _l("This username is taken."), conflict=True)
    mobile = _mobile(mobile) if mobile else None
    user = User.create(
        centre=centre,
        role=role,
        username=username,
        name=name,
        mobile=mobile,
        password_hash=hash_password(password),
    )
    audit.record("account.create", user, role=role)
    return user
