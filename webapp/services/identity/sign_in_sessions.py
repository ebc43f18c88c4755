"""Sign-in sessions kept on the server. The session and remember-me cookies carry a random key
(only its hash is stored), so a copied cookie stops working the moment its session ends: on
sign-out, a password change or reset, or when the user ends it from another device. A
remember-me key is replaced each time it brings a browser back; the replaced key presented again
after a moment's grace means two browsers hold copies of one sign-in, so one was stolen: every
session of the account ends and the owner is told. No sign-in lasts beyond MAX_AGE, renewed or not."""

import hashlib
import secrets
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from peewee import ModelSelect
from ua_parser import parse as parse_user_agent

from webapp.db import database
from webapp.models import SignInSession, User, utcnow
from webapp.services.common import audit
from webapp.services.messaging import messages
from webapp.vocabulary import AuditAction, MessageTemplate

# How often last_seen_at is written (not on every request), and how long a rotated
# remember-me key stays good for requests that were already on their way.
SEEN_EVERY = timedelta(minutes=5)
ROTATION_GRACE = timedelta(minutes=1)
# The longest a sign-in lasts, however often its remember-me cookie renews itself (config's
# REMEMBER_COOKIE_DURATION is the same).
MAX_AGE = timedelta(days=30)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def start(user: User, remembered: bool = False, ip: str = "", user_agent: str = "") -> SignInSession:
    """A new session for the user; user.get_id() now names it (for Flask-Login's cookies)."""
    key = secrets.token_urlsafe(24)
    session = SignInSession.create(
        user=user, key_hash=_hash(key), remembered=bool(remembered), ip=ip[:45], user_agent=user_agent[:200]
    )
    user.sign_in_key = key
    return session


def user_for(user_id: str, key: str) -> User | None:
    """The active user of a live session whose key (or just-rotated key) is given."""
    if not user_id.isdigit() or not key:
        return None
    hashed, now = _hash(key), utcnow()
    session = (
        SignInSession.select(SignInSession, User)
        .join(User)
        .where(
            (SignInSession.user == int(user_id))
            & SignInSession.ended_at.is_null()
            & ((SignInSession.key_hash == hashed) | (SignInSession.previous_key_hash == hashed))
        )
        .first()
    )
    if session is None or not session.user.active:
        return None
    if session.key_hash != hashed and session.rotated_at <= now - ROTATION_GRACE:
        _copied(session)
        return None
    if session.created_at <= now - MAX_AGE:
        SignInSession.update(ended_at=now).where(SignInSession.id == session.id).execute()
        return None
    if session.last_seen_at < now - SEEN_EVERY:
        SignInSession.update(last_seen_at=now).where(SignInSession.id == session.id).execute()
    user = session.user
    user.sign_in_key = key
    user.sign_in_session_id = session.id
    user.sign_in_key_replaced = session.key_hash != hashed  # a request that left before the rotation
    return user


def _copied(session: SignInSession) -> None:
    """An old key came back after its grace: end every session of the account, keep it in the
    audit log and tell the owner by text message (no copy of the sign-in lasts)."""
    user = session.user
    with database.atomic():
        ended = end_all(user)
        audit.record(AuditAction.ACCOUNT_SIGN_IN_COPIED, user, actor=None, session=session.id, ended=ended)
    if user.mobile:
        messages.send(user.mobile, MessageTemplate.SIGN_IN_COPIED, {}, user.centre)


def rotate(user: User) -> None:
    """A new key for the session that a remember-me cookie just brought back; the old key
    works for ROTATION_GRACE more, then never again. A request with the key just replaced is let
    through as it is: rotating again would leave the browser that got the new key out."""
    if getattr(user, "sign_in_key_replaced", False):
        return
    key = secrets.token_urlsafe(24)
    SignInSession.update(
        key_hash=_hash(key), previous_key_hash=_hash(user.sign_in_key), rotated_at=utcnow()
    ).where(SignInSession.id == user.sign_in_session_id).execute()
    user.sign_in_key = key


def live(user: User) -> ModelSelect:
    """The user's sessions that have not ended, most recently seen first."""
    return (
        SignInSession.select()
        .where((SignInSession.user == user) & SignInSession.ended_at.is_null())
        .order_by(SignInSession.last_seen_at.desc())
    )


def end(user: User, session_id: int) -> bool:
    """End one of the user's own sessions; False when there is no such live session."""
    ended = (
        SignInSession.update(ended_at=utcnow())
        .where(
            (SignInSession.id == session_id) & (SignInSession.user == user) & SignInSession.ended_at.is_null()
        )
        .execute()
    )
    if ended:
        audit.record("account.session_ended", user, actor=user, session=session_id)
    return bool(ended)


def end_all(user: User, keep_current: bool = False) -> int:
    """End every session of the user (but the one of this request when keep_current)."""
    query = SignInSession.update(ended_at=utcnow()).where(
        (SignInSession.user == user) & SignInSession.ended_at.is_null()
    )
    keep = getattr(user, "sign_in_session_id", None)
    if keep_current and keep:
        query = query.where(SignInSession.id != keep)
    with database.atomic():
        return query.execute()


def device_name(user_agent: str) -> str:
    """ "Chrome on Android", for people to recognise their own devices in the list."""
    parsed = parse_user_agent(user_agent or "")
    browser = parsed.user_agent.family if parsed.user_agent else ""
    system = parsed.os.family if parsed.os else ""
    if browser and system and system != "Other":
        return str(_l("%(browser)s on %(system)s", browser=browser, system=system))
    return browser or str(_l("Unknown browser"))
