"""Six-digit codes sent by text message to prove a mobile number: valid 10 minutes, 5 tries, at
most 1 a minute and 5 an hour per number. Only a keyed hash is stored.

An address is often shared: a class of 45 on the school's Wi-Fi, a waiting room on the centre's.
So an address is not limited by how many codes it asks for but by what abuse looks like: many
numbers whose codes are never used (someone sending texts to strangers), or a burst of wrong
codes (someone guessing); with a ceiling no real room reaches."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from peewee import fn

from webapp.models import Centre, OneTimeCode, User, utcnow
from webapp.services.common.errors import FieldErrors, RuleError
from webapp.services.common.mobile_numbers import InvalidMobile, check_mobile
from webapp.services.messaging import messages
from webapp.vocabulary import CodePurpose, MessageTemplate

VALID = timedelta(minutes=10)
TRIES = 5
PER_MINUTE, PER_HOUR = 1, 5  # per number
# Per address in the last hour: codes that expired unused, wrong codes typed, and all codes.
ABANDONED_PER_ADDRESS, WRONG_PER_ADDRESS, CEILING_PER_ADDRESS = 15, 25, 200


class TooManyCodes(RuleError):
    status = 429


def _hash(mobile: str, code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"{mobile}:{code}".encode(), hashlib.sha256).hexdigest()


def request_code(
    mobile: str, purpose: str, ip: str, centre: Centre | None = None, deliver: bool = True
) -> None:
    """Send a code to the number, within the limits. For a sign-up to a number that already has
    an account, the owner is told so by text message instead: the page answers the same. Without
    deliver the code is counted against the limits but sent to nobody (a password reset for a
    number no account has answers exactly as for one that has)."""
    try:
        mobile = check_mobile(mobile)
    except InvalidMobile as exc:
        raise FieldErrors({"mobile": exc.message}) from None
    now = utcnow()
    recent = OneTimeCode.select().where(OneTimeCode.created_at > now - timedelta(hours=1))
    by_number = recent.where((OneTimeCode.mobile == mobile) & (OneTimeCode.purpose == purpose))
    if by_number.where(OneTimeCode.created_at > now - timedelta(minutes=1)).count() >= PER_MINUTE:
        raise TooManyCodes(_l("A code was just sent to this number; wait a minute before asking again."))
    if by_number.count() >= PER_HOUR or (
        ip and _address_looks_abusive(recent.where(OneTimeCode.ip == ip), now)
    ):
        raise TooManyCodes(_l("Too many codes were asked for; try again in an hour."))
    code = f"{secrets.randbelow(10**6):06d}"
    OneTimeCode.create(mobile=mobile, purpose=purpose, code_hash=_hash(mobile, code), ip=ip or "",
                       created_at=now, expires_at=now + VALID)  # fmt: skip
    if not deliver:
        return
    if purpose == CodePurpose.SIGN_UP and User.select().where(User.mobile == mobile).exists():
        messages.send(mobile, MessageTemplate.ALREADY_REGISTERED, {}, centre)
    else:
        messages.send(mobile, MessageTemplate.VERIFICATION_CODE, {"code": code}, centre)


def _address_looks_abusive(from_address, now) -> bool:
    """Many codes from the address left to expire unused, a burst of wrong codes, or more codes
    than a room of people asks for in an hour."""
    abandoned, wrong, total = from_address.select(
        fn.SUM(((OneTimeCode.used_at.is_null()) & (OneTimeCode.expires_at < now)).cast("integer")),
        fn.SUM(OneTimeCode.attempts - OneTimeCode.used_at.is_null(False).cast("integer")),
        fn.COUNT(OneTimeCode.id),
    ).scalar(as_tuple=True)
    return (
        (abandoned or 0) >= ABANDONED_PER_ADDRESS
        or (wrong or 0) >= WRONG_PER_ADDRESS
        or total >= CEILING_PER_ADDRESS
    )


def check_code(mobile: str, purpose: str, code: str | None, spend: bool = True) -> OneTimeCode:
    """FieldErrors on "code" unless code is the number's latest, unexpired, unused one; a code
    works once, and five tries spend it (each call is a try, so a caller that checks a password
    after the code passes spend=False and spends it once the password is right too)."""
    latest = (
        OneTimeCode.select()
        .where(
            (OneTimeCode.mobile == mobile) & (OneTimeCode.purpose == purpose) & OneTimeCode.used_at.is_null()
        )
        .order_by(OneTimeCode.created_at.desc())
        .first()
    )
    ask_again = FieldErrors({"code": _l("Ask for a code (it is valid for 10 minutes), then enter it here.")})
    if latest is None or latest.expires_at < utcnow():
        raise ask_again
    # the try is counted before the code is compared, in one conditional update: thirty guesses
    # sent at once are thirty tries, and only TRIES of them are compared
    counted = (
        OneTimeCode.update(attempts=OneTimeCode.attempts + 1)
        .where((OneTimeCode.id == latest.id) & (OneTimeCode.attempts < TRIES) & OneTimeCode.used_at.is_null())
        .execute()
    )
    if not counted:
        raise ask_again
    latest.attempts += 1
    if not hmac.compare_digest(latest.code_hash, _hash(mobile, (code or "").strip())):
        raise FieldErrors({"code": _l("The code is not right; check the text message.")})
    if spend:
        spend_code(latest)
    return latest


def spend_code(sent: OneTimeCode) -> None:
    """The code has done its work: it works once, even when sent twice at once."""
    spent = (
        OneTimeCode.update(used_at=utcnow())
        .where((OneTimeCode.id == sent.id) & OneTimeCode.used_at.is_null())
        .execute()
    )
    if not spent:
        raise FieldErrors({"code": _l("Ask for a code (it is valid for 10 minutes), then enter it here.")})
    sent.used_at = utcnow()
