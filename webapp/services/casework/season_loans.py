"""What counts as a loan of a season: the one rule exports, statistics, reconciliation, receipt
confirmations, contract changes and bookings all use."""

from webapp.models import Application
from webapp.vocabulary import ApplicationStatus, Service


def is_loan():
    """An application that is a loan of its season: accepted at the desk, or a renewal approved
    online without a visit to the window (the student never comes to be "accepted")."""
    return (Application.status == ApplicationStatus.ACCEPTED) | (
        (Application.kind == Service.RENEWAL)
        & (Application.status == ApplicationStatus.APPROVED)
        & (Application.needs_window == False)  # noqa: E712 (a peewee expression)
    )


def counts_as_loan(kind: str, status: str, needs_window: bool) -> bool:
    """is_loan for values already read (the dashboard's grouped pass)."""
    return status == ApplicationStatus.ACCEPTED or (
        kind == Service.RENEWAL and status == ApplicationStatus.APPROVED and not needs_window
    )
