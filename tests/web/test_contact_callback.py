"""A contact can arrange a call-back: an optional, bounded date saved with it and audited."""

import datetime

import pytest
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.cases.models import Contact

pytestmark = pytest.mark.django_db
CONTACT = "/tenancies/EX-0002/contact/"


def _contact(**changes):
    return {"date": timezone.localdate().isoformat(), "channel": "phone",
            "direction": "outbound", "outcome": "spoke_to_tenant", "note": "", **changes}


def test_a_contact_can_arrange_a_call_back_which_is_saved_and_audited(officer):
    callback = timezone.localdate() + datetime.timedelta(days=3)
    response = officer.post(CONTACT, _contact(callback_date=callback.isoformat()))
    assert response.status_code == 302
    assert Contact.objects.get(tenancy__tenancy_ref="EX-0002").callback_date == callback
    event = AuditEvent.objects.get(action="contact_recorded", object_ref="EX-0002")
    assert event.details["callback_date"] == callback.isoformat()


def test_a_call_back_is_optional(officer):
    assert officer.post(CONTACT, _contact()).status_code == 302
    assert Contact.objects.get(tenancy__tenancy_ref="EX-0002").callback_date is None


@pytest.mark.parametrize(("callback", "error"), [
    ("2026-02-31", "Enter a real date"),
    ("9999-12-31", "must be between 1 Jan 1900 and 31 Dec 2199"),
    ("2026-01-01", "The call back date must be on or after the date of the contact"),
])
def test_a_call_back_date_out_of_bounds_is_refused_with_nothing_saved(officer, callback, error):
    response = officer.post(CONTACT, _contact(date="2026-03-01", callback_date=callback))
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert error in response.content.decode()
    assert not Contact.objects.exists()
