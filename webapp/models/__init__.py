"""The domain model. ALL_MODELS is the list migrations and tests work from; the domain's words
(statuses, kinds, roles) live in webapp/vocabulary.py."""

from .audit import AuditEvent
from .base import BaseModel, bulk_insert, utcnow
from .casework import Application, FamilyMember, OwedMaterial, PreRegistration
from .centre import Centre, ClosedDay, School, Season, ServiceQuota
from .desk import Appointment, DutyAssignment, Incident, Ticket
from .documents import IssuedDocument, PrintedDocument
from .messages import Message, OneTimeCode
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
from .people import Guardian, LoginThrottle, SignInSession, Student, User

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
