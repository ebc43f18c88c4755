"""The centre's review of pre-registrations: lists with filters, and the queue of possible
duplicates and invalid records, settled by merging, keeping both, or rejecting."""

import json

from flask_babel import lazy_gettext as _l
from peewee import JOIN, ModelSelect

from webapp.db import database
from webapp.input_checks import parse_record_id
from webapp.models import AuditEvent, Centre, PreRegistration, School, User, utcnow
from webapp.services.common import audit
from webapp.services.common.errors import RuleError
from webapp.services.outreach.prereg_rules import SENT_FIELDS
from webapp.vocabulary import REVIEW_STATUSES, PreregStatus

PAGE_SIZE = 50


class ReviewError(RuleError):
    pass


def search(
    centre: Centre,
    school: int | None = None,
    category: str | int | None = None,
    status: str | None = None,
    captured_by: int | None = None,
    page: int = 1,
) -> tuple[list[PreRegistration], int]:
    """Pre-registrations of a centre, newest first, narrowed by the given filters."""
    query = (
        PreRegistration.select(PreRegistration, School, User)
        .join(School, on=(PreRegistration.school == School.id), join_type=JOIN.LEFT_OUTER)
        .switch(PreRegistration)
        .join(User, on=(PreRegistration.captured_by == User.id), join_type=JOIN.LEFT_OUTER)
        .where(PreRegistration.centre == centre)
    )
    if school:
        query = query.where(PreRegistration.school == school)
    if category is not None and category != "":
        query = query.where(PreRegistration.category == int(category))
    if status:
        query = query.where(PreRegistration.status == status)
    if captured_by:
        query = query.where(PreRegistration.captured_by == captured_by)
    total = query.count()
    rows = list(
        query.order_by(PreRegistration.received_at.desc(), PreRegistration.id.desc()).paginate(
            page, PAGE_SIZE
        )
    )
    return rows, total


def review_queue(centre: Centre) -> ModelSelect:
    return (
        PreRegistration.select()
        .where((PreRegistration.centre == centre) & PreRegistration.status.in_(REVIEW_STATUSES))
        .order_by(PreRegistration.received_at)
    )


def get_for_centre(centre: Centre, record_id: int) -> PreRegistration | None:
    return PreRegistration.get_or_none((PreRegistration.id == record_id) & (PreRegistration.centre == centre))


def history(record: PreRegistration) -> ModelSelect:
    return (
        AuditEvent.select()
        .where((AuditEvent.object_type == "PreRegistration") & (AuditEvent.object_id == str(record.id)))
        .order_by(AuditEvent.created_at)
    )


def field_errors(record: PreRegistration) -> dict:
    return json.loads(record.field_errors) if record.field_errors else {}


def invalid_payload(record: PreRegistration) -> dict:
    return json.loads(record.invalid_payload) if record.invalid_payload else {}


def sent_fields(record: PreRegistration) -> list[tuple[str, str, str]]:
    """What the device sent for a refused record, as (name, label, text shown) rows in the form's
    order: a school by its name, a category, relation or level by its label."""
    from webapp.i18n import CATEGORY_LABELS, LEVEL_LABELS, RELATION_LABELS

    payload = invalid_payload(record)
    named = {
        "category": {str(key): label for key, label in CATEGORY_LABELS.items()},
        "guardian_relation": RELATION_LABELS,
        "intended_level": LEVEL_LABELS,
    }
    rows = []
    for name, label in SENT_FIELDS.items():
        value = payload.get(name)
        if value in (None, ""):
            continue
        text = str(value)
        if name == "school_id":
            school_id = parse_record_id(value)
            school = school_id and School.get_or_none(
                (School.id == school_id) & (School.centre == record.centre)
            )
            text = school.name if school else text
        elif name in named:
            text = str(named[name].get(text, text))
        rows.append((name, str(label), text))
    return rows


def decisions(record: PreRegistration) -> list[str]:
    """What the reviewer may decide for this record: merging needs an earlier record of this
    centre, keeping both needs a possible duplicate; any record waiting for review may be
    rejected."""
    allowed = []
    if record.status == PreregStatus.POSSIBLE_DUPLICATE:
        if record.earlier_in_centre is not None:
            allowed.append("merge")
        allowed.append("keep")
    if record.status in REVIEW_STATUSES:
        allowed.append("reject")
    return allowed


def _close_review(record, user, status, note, action):
    record.status = status
    record.reviewed_by = user
    record.reviewed_at = utcnow()
    record.review_note = note
    record.save()
    audit.record(action, record, actor=user, note=note)


def merge(record: PreRegistration, user: User, note: str = "") -> PreRegistration:
    """Fold a possible duplicate into the earlier record, filling only the fields it left empty."""
    if record.status != PreregStatus.POSSIBLE_DUPLICATE or record.earlier_in_centre is None:
        raise ReviewError(_l("Only a possible duplicate can be merged."))
    with database.atomic():
        kept = record.duplicate_of
        filled = []
        for name in (
            "mobile",
            "class_name",
            "guardian_name",
            "guardian_relation",
            "guardian_mobile",
            "guardian_id_number",
            "intended_university",
            "intended_level",
            "notes",
        ):
            if not getattr(kept, name) and getattr(record, name):
                setattr(kept, name, getattr(record, name))
                filled.append(name)
        if kept.category == 0 and record.category:
            kept.category = record.category
            filled.append("category")
        kept.updated_at = utcnow()
        kept.save()
        _close_review(record, user, PreregStatus.MERGED, note, "prereg.merged")
        audit.record("prereg.merged_into", kept, actor=user, source=str(record.uuid), filled=filled)
    return kept


def keep_both(record: PreRegistration, user: User, note: str = "") -> None:
    if record.status != PreregStatus.POSSIBLE_DUPLICATE:
        raise ReviewError(_l("Only a possible duplicate can be kept as a separate record."))
    with database.atomic():
        _close_review(record, user, PreregStatus.ACCEPTED, note, "prereg.kept")


def reject(record: PreRegistration, user: User, reason: str | None) -> None:
    if record.status not in REVIEW_STATUSES:
        raise ReviewError(_l("Only records waiting for review can be rejected."))
    if not (reason or "").strip():
        raise ReviewError(_l("Give a reason for rejecting the record."))
    with database.atomic():
        _close_review(record, user, PreregStatus.REJECTED, reason.strip(), "prereg.rejected")
