"""The pre-registration's fields are named once: what a device may send, in the offline form's
order, is what sync keeps and what the review shows of a refused record."""

from webapp.models import PreRegistration
from webapp.services.outreach.prereg_rules import PREREG_FIELDS, SENT_FIELDS


def test_sync_keeps_every_field_a_device_sends_but_the_school_it_names():
    assert PREREG_FIELDS == tuple(name for name in SENT_FIELDS if name != "school_id")
    assert set(PREREG_FIELDS) <= set(PreRegistration._meta.fields)
    assert "school_id" in SENT_FIELDS and "school" in PreRegistration._meta.fields
