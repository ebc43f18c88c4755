"""The domain model. ALL_MODELS is the list migrations and tests work from; the domain's words
(statuses, kinds, roles) live in webapp/vocabulary.py."""

from .base import BaseModel, bulk_insert, utcnow
from .booking import Appointment, ClosedDay, ServiceQuota
from .casework import Application, FamilyMember, OwedMaterial, PreRegistration
from .centre import Centre, School, Season
from .common import AuditEvent
from .desk import DutyAssignment, Incident, Ticket
from .identity import Guardian, LoginThrottle, SignInSession, Student, User
from .messaging import Message, OneTimeCode
from .national import (
    ColumnMapping,
    ContractChange,
    NationalContract,
    NationalImport,
    PendingUpload,
    ReceiptConfirmation,
    ReconciliationNote,
)
from .outreach import CaptureDevice, RosterEntry, RosterImport, SchoolVisit
from .printing import IssuedDocument, PrintedDocument

ALL_MODELS = [
    Centre,
    Season,
    ServiceQuota,
    ClosedDay,
    School,
    Student,
    Guardian,
    User,
    LoginThrottle,
    PreRegistration,
    Application,
    Appointment,
    Ticket,
    DutyAssignment,
    IssuedDocument,
    AuditEvent,
    RosterImport,
    RosterEntry,
    SchoolVisit,
    PrintedDocument,
    FamilyMember,
    Incident,
    OwedMaterial,
    Message,
    OneTimeCode,
    SignInSession,
    CaptureDevice,
    ColumnMapping,
    PendingUpload,
    NationalImport,
    NationalContract,
    ReconciliationNote,
    ReceiptConfirmation,
    ContractChange,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS", "BaseModel", "bulk_insert", "utcnow"]
