"""The text-message gateway: every message is a row (to, template, parameters, state, provider
id, time, error), sent through the provider SMS_BACKEND names (services/messaging/sms_providers.py). With
the `log` backend nothing leaves the server and staff read the messages under 短信记录.

One-time codes go out at once (`send`). Everything else is queued (`notify`) and delivered by
the task queue (services/messaging/delivery.py), so a slow provider never holds a page:

- quiet hours (21:00–08:00 local): only queue calls go out; the rest wait until morning;
- a reminder (timed, services/jobs/reminders.py) goes at most once a kind a student a day, and not
  at all to a student who turned reminders off (the row says it was skipped, and why);
- a provider's error is retried with a doubling delay, then the row is marked failed with the
  provider's words.
"""

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone

from flask import current_app, has_request_context
from flask_babel import force_locale, get_locale, gettext
from flask_login import current_user
from peewee import fn

from webapp import clock, task_queue
from webapp.models import Appointment, Centre, Guardian, Message, Student, User, utcnow
from webapp.services.common import audit
from webapp.services.messaging.sending import hand_over
from webapp.services.messaging.sms_providers import ProviderError
from webapp.vocabulary import MessageState, MessageTemplate, SkipReason, TaskName

QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)
# Sent whatever the hour: the student is in the hall, waiting for the call.
ANY_HOUR = (MessageTemplate.QUEUE_NEAR,)
# What a message may carry that nobody but its recipient may read: with a real provider the row
# keeps MASKED in its place (the message log, backups); the demo `log` backend keeps it, and says so.
SECRET_PARAMS = {MessageTemplate.VERIFICATION_CODE: ("code",)}
MASKED = "******"
# About money and contracts: the co-borrower gets them too.
TO_CO_BORROWER = (
    MessageTemplate.RENEWAL_APPROVED,
    MessageTemplate.RENEWAL_WINDOW,
    MessageTemplate.BOOKING_MOVED,
)


def send(to_mobile: str, template: MessageTemplate, params: dict, centre: Centre | None = None) -> Message:
    """Send (or log) one message now (one-time codes); a provider's refusal is kept on the row,
    never raised. A one-time code reaches the provider and is never stored (SECRET_PARAMS)."""
    provider = current_app.config["SMS_BACKEND"]
    kept = dict(params)
    if provider != "log":
        kept.update(dict.fromkeys(SECRET_PARAMS.get(template, ()), MASKED))
    message = Message.create(
        centre=centre,
        to_mobile=to_mobile,
        template=template,
        params=json.dumps(kept, ensure_ascii=False),
        provider=provider,
        state=MessageState.QUEUED,
        created_at=utcnow(),
    )
    try:
        hand_over(message, params)
    except ProviderError as exc:
        message.state, message.error = MessageState.FAILED, str(exc)[:2000]
        current_app.logger.warning("text message %s failed: %s", message.id, message.error)
    message.save()
    return message


def quiet_until(now: datetime) -> datetime | None:
    """The local time quiet hours end, when now (local) is inside them; else None."""
    if QUIET_UNTIL <= now.time() < QUIET_FROM:
        return None
    day = now.date() if now.time() < QUIET_UNTIL else now.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_UNTIL, tzinfo=now.tzinfo)


def notify(
    student: Student,
    template: MessageTemplate,
    params: dict,
    reminder: bool = False,
    now: datetime | None = None,
) -> Message | None:
    """Queue a message to the student (and, for money and contracts, the co-borrower), in the
    student's language. A reminder the student already had today is not queued (None); one the
    student turned off is kept as skipped."""
    now = now or clock.local_now()
    if reminder and _had_today(student, template, now):
        return None
    skip = SkipReason.REMINDERS_OFF if reminder and student.reminders_off else ""
    if not skip and not student.mobile:
        skip = SkipReason.NO_MOBILE
    message = _queue(student.mobile, student, template, params, skip, now)
    if template in TO_CO_BORROWER and not skip:
        co_borrower = _co_borrower_mobile(student)
        if co_borrower:
            _queue(co_borrower, student, template, params, "", now)
    return message


def _had_today(student, template, now):
    start = clock.utc_start_of(now.date())
    return (
        Message.select()
        .where(
            (Message.student == student)
            & (Message.template == template)
            & (Message.created_at >= start)
            & (Message.created_at < start + timedelta(days=1))
        )
        .exists()
    )


def _co_borrower_mobile(student):
    guardian = student.guardians.where(Guardian.is_co_borrower).first()
    return guardian.mobile if guardian is not None and guardian.mobile != student.mobile else ""


def _queue(to_mobile, student, template, params, skip, now):
    message = Message.create(
        centre=student.centre,
        student=student,
        to_mobile=to_mobile,
        template=template,
        params=json.dumps(params, ensure_ascii=False),
        language=student.language or _language_in_use(student),
        provider=current_app.config["SMS_BACKEND"],
        state=MessageState.SKIPPED if skip else MessageState.QUEUED,
        skip_reason=skip,
        created_at=now.astimezone(timezone.utc).replace(tzinfo=None),
    )
    if not skip:
        wait = None if template in ANY_HOUR else quiet_until(now)
        if wait:
            message.send_after = wait.astimezone(timezone.utc).replace(tzinfo=None)
            message.save()
            task_queue.enqueue(TaskName.DELIVER_MESSAGE, message.id, eta=wait)
        else:
            task_queue.enqueue(TaskName.DELIVER_MESSAGE, message.id)
    return message


def _language_in_use(student):
    """The language the student is using the app in right now, when it is the student acting."""
    if has_request_context() and current_user.is_authenticated and current_user.student_id == student.id:
        return str(get_locale())
    return ""


def resend(message: Message, user: User) -> Message:
    """Queue the same words to the same number again (a staff member's decision)."""
    copy = Message.create(
        centre=message.centre,
        student=message.student,
        to_mobile=message.to_mobile,
        template=message.template,
        params=message.params,
        language=message.language,
        provider=current_app.config["SMS_BACKEND"],
        state=MessageState.QUEUED,
        created_at=utcnow(),
    )
    audit.record("message.resent", copy, actor=user, original=message.id)
    task_queue.enqueue(TaskName.DELIVER_MESSAGE, copy.id)
    return copy


def booking_params(appointment: Appointment) -> dict:
    """What a booking's messages say: the day, the half-day, the code, the address."""
    from webapp.i18n import HALF_DAY_LABELS

    return {
        "day": appointment.day.isoformat(),
        "half_day": str(HALF_DAY_LABELS[appointment.half_day]),
        "code": appointment.code,
        "address": appointment.centre.address or appointment.centre.name,
    }


def text_of(message: Message) -> str:
    """The words as the recipient reads them, in the recipient's language when known."""
    words = MessageTemplate(message.template).msgid
    params = json.loads(message.params or "{}")
    if message.language:
        with force_locale(message.language):
            return gettext(words, **params)
    return gettext(words, **params)


def recent(to_mobile: str | None = None, centre: Centre | None = None, limit: int = 100):
    """The newest messages first, for the log page and `flask messages list`."""
    query = Message.select().order_by(Message.created_at.desc(), Message.id.desc()).limit(limit)
    if to_mobile:
        query = query.where(Message.to_mobile == to_mobile)
    if centre is not None:
        query = query.where(Message.centre == centre)
    return query


@dataclass
class DayCount:
    day: str
    template: str
    state: str
    count: int


def daily_counts(centre: Centre, days: int = 14) -> list[DayCount]:
    """Messages per local day, kind and state over the last days, newest day first."""
    since = clock.utc_start_of(clock.local_today() - timedelta(days=days - 1))
    offset = clock.utc_offset()
    rows = (
        Message.select(Message.created_at, Message.template, Message.state)
        .where((Message.centre == centre) & (Message.created_at >= since))
        .tuples()
    )
    counts = {}
    for created, template, state in rows:
        key = ((created + offset).date().isoformat(), template, state)
        counts[key] = counts.get(key, 0) + 1
    return [DayCount(*key, count) for key, count in sorted(counts.items(), reverse=True)]


@dataclass
class KindCount:
    template: str
    delivered: int  # sent, or kept in the log
    waiting: int
    failed: int
    skipped: int


def counts_by_kind(centre: Centre, days: int = 7) -> list[KindCount]:
    """Messages of the last days by kind and outcome, most first (the dashboard's table), in one
    grouped query; kinds of equal number by the newest local day a kind was sent, then the kind,
    both descending."""
    since = clock.utc_start_of(clock.local_today() - timedelta(days=days - 1))
    totals, newest = {}, {}
    for template, state, count, latest in (
        Message.select(Message.template, Message.state, fn.COUNT(Message.id), fn.MAX(Message.created_at))
        .where((Message.centre == centre) & (Message.created_at >= since))
        .group_by(Message.template, Message.state)
        .tuples()
    ):
        totals.setdefault(template, {})[state] = count
        latest = clock.local_date(Message.created_at.python_value(latest))
        newest[template] = max(newest.get(template, latest), latest)
    found = [
        KindCount(
            template,
            states.get(MessageState.SENT, 0) + states.get(MessageState.LOGGED, 0),
            states.get(MessageState.QUEUED, 0),
            states.get(MessageState.FAILED, 0),
            states.get(MessageState.SKIPPED, 0),
        )
        for template, states in sorted(
            totals.items(), key=lambda item: (newest[item[0]], item[0]), reverse=True
        )
    ]
    return sorted(found, key=lambda kind: -(kind.delivered + kind.waiting + kind.failed + kind.skipped))
