"""The domain model. ALL_MODELS is the list migrations and tests work from."""
from .base import BaseModel, utcnow
from .casework import (APPLICATION_KINDS, APPLICATION_STATUSES, CATEGORIES, HARDSHIP_FACTORS,
                       HEALTH_STATES, MEMBER_RELATIONS, NEW_STAGES, PREREG_STATUSES,
                       REVIEW_STATUSES, SPECIAL_GROUPS, STUDY_PROGRESS, Application, FamilyMember,
                       OwedMaterial, PreRegistration)
from .centre import (HALF_DAYS, LEVELS, SCHOOL_KINDS, SERVICES, Centre, ClosedDay, School,
                     Season, ServiceQuota)
from .desk import (APPOINTMENT_STATUSES, DOCUMENT_KINDS, INCIDENT_KINDS, TICKET_STATUSES,
                   Appointment, AuditEvent, DutyAssignment, Incident, IssuedDocument, Ticket)
from .documents import PRINT_KINDS, PrintedDocument
from .outreach import RosterEntry, RosterImport, SchoolVisit
from .people import RELATIONS, ROLES, STAFF_ROLES, Guardian, LoginThrottle, Student, User

ALL_MODELS = [
    Centre, Season, ServiceQuota, ClosedDay, School, Student, Guardian, User, LoginThrottle,
    PreRegistration, Application, Appointment, Ticket, DutyAssignment, IssuedDocument,
    AuditEvent, RosterImport, RosterEntry, SchoolVisit, PrintedDocument, FamilyMember,
    Incident, OwedMaterial,
]

__all__ = [m.__name__ for m in ALL_MODELS] + [
    "ALL_MODELS", "APPLICATION_KINDS", "APPLICATION_STATUSES", "APPOINTMENT_STATUSES",
    "BaseModel", "CATEGORIES", "DOCUMENT_KINDS", "HALF_DAYS", "HARDSHIP_FACTORS", "HEALTH_STATES", "INCIDENT_KINDS",
    "LEVELS", "MEMBER_RELATIONS", "NEW_STAGES", "PREREG_STATUSES", "PRINT_KINDS", "RELATIONS", "REVIEW_STATUSES",
    "ROLES", "SCHOOL_KINDS", "SERVICES", "SPECIAL_GROUPS", "STAFF_ROLES", "STUDY_PROGRESS",
    "TICKET_STATUSES", "utcnow",
]
