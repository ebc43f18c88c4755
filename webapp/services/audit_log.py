"""Reading the audit trail: who did what to which record, filtered, newest first, a page at a
time by id (no OFFSET, so late pages cost what the first one does)."""

import json
from dataclasses import dataclass
from datetime import timedelta

from peewee import JOIN

from webapp.clock import utc_start_of
from webapp.models import AuditEvent, Centre, User
from webapp.vocabulary import Role

from .audit import ACCESS_ACTIONS

ACCESS = "access"  # the filter for every look at personal data (ACCESS_ACTIONS)

PAGE = 50


@dataclass
class Filters:
    actor: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    day_from: object = None
    day_to: object = None


def search(
    centre: Centre, filters: Filters, before: int | None = None
) -> tuple[list[AuditEvent], int | None]:
    """A page of events and the id to continue before (None on the last page). Local days
    become UTC bounds, so that the index on created_at is used."""
    query = (
        AuditEvent.select(AuditEvent, User)
        .join(User, on=(AuditEvent.actor == User.id), join_type=JOIN.LEFT_OUTER)
        .where(AuditEvent.centre == centre)
    )
    if filters.actor:
        query = query.where(AuditEvent.actor == filters.actor)
    if filters.action == ACCESS:
        query = query.where(AuditEvent.action.in_(ACCESS_ACTIONS))
    elif filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.object_type:
        query = query.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id:
        query = query.where(AuditEvent.object_id == filters.object_id)
    if filters.day_from:
        query = query.where(AuditEvent.created_at >= utc_start_of(filters.day_from))
    if filters.day_to:
        query = query.where(AuditEvent.created_at < utc_start_of(filters.day_to + timedelta(days=1)))
    if before:
        query = query.where(AuditEvent.id < before)
    events = list(query.order_by(AuditEvent.id.desc()).limit(PAGE + 1))
    more = len(events) > PAGE
    events = events[:PAGE]
    return events, (events[-1].id if more else None)


def details(event: AuditEvent) -> list[tuple]:
    """The event's details as (name, value) pairs; corrections show old → new."""
    try:
        data = json.loads(event.details or "{}")
    except ValueError:
        return [("details", event.details)]
    return [(name, value) for name, value in data.items()]


def choices(centre: Centre) -> tuple[list[str], list[str], list[User]]:
    """The actions and record types that occur, and the people who acted, for the filters."""
    actions = [
        a
        for (a,) in AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.centre == centre)
        .group_by(AuditEvent.action)
        .order_by(AuditEvent.action)
        .tuples()
    ]
    types = [
        t
        for (t,) in AuditEvent.select(AuditEvent.object_type)
        .where((AuditEvent.centre == centre) & (AuditEvent.object_type != ""))
        .group_by(AuditEvent.object_type)
        .order_by(AuditEvent.object_type)
        .tuples()
    ]
    people = list(
        User.select().where((User.centre == centre) & (User.role != Role.STUDENT)).order_by(User.name)
    )
    return actions, types, people
