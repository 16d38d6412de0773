"""A pre-action checklist the landlord's imported history records (a
`pre_action_checklist_complete` action, no checklist of Open Income's) counts for the claim
gate as it does for the engine, in the same window; the claim page says where it came from."""

import datetime

import pytest
from django.test import Client

from openincome.ledger.models import RecordedAction, Tenancy
from openincome.legal import actions
from openincome.legal.actions import GateRefused
from openincome.legal.models import CourtCase, Notice

from .conftest import make_ready

date = datetime.date
TODAY = datetime.date.today()
SERVED = TODAY - datetime.timedelta(days=80)


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


@pytest.fixture
def ready(officer, leader):
    """EX-0001 with a notice whose proceedings date has come, and the claim assessed and
    approved today; no checklist recorded in Open Income."""
    Notice.objects.create(notice_ref="NTC-I", tenancy=ex1(), kind="nosp_secure",
                          served_date=SERVED, method="hand", deemed_service_date=SERVED,
                          earliest_proceedings_date=SERVED + datetime.timedelta(days=30),
                          expiry_date=SERVED + datetime.timedelta(days=365))
    make_ready("EX-0001", "apply_for_court", TODAY, officer, leader, checklist=False)


def imported(day: datetime.date) -> RecordedAction:
    return RecordedAction.objects.create(tenancy=ex1(), date=day,
                                         code="pre_action_checklist_complete",
                                         note="Imported from the old system")


def test_an_imported_completed_checklist_after_the_notice_satisfies_the_claim_gate(
        ready, officer):
    imported(TODAY - datetime.timedelta(days=10))
    case = actions.apply_for_court(ex1(), officer, claim_date=TODAY, claim_number="",
                                   as_of=TODAY)
    assert case.claim_date == TODAY


@pytest.mark.parametrize(("day", "why"), [
    (SERVED - datetime.timedelta(days=1), "before the notice"),
    (TODAY - datetime.timedelta(days=91), "older than the policy's 90 days"),
])
def test_an_imported_checklist_outside_the_window_does_not(ready, officer, day, why):
    imported(day)
    with pytest.raises(GateRefused) as refused:
        actions.apply_for_court(ex1(), officer, claim_date=TODAY, claim_number="",
                                as_of=TODAY)
    assert refused.value.gate == "checklist"
    assert not CourtCase.objects.exists()


def test_the_claim_page_shows_it_met_and_recorded_on_import(ready):
    day = TODAY - datetime.timedelta(days=10)
    imported(day)
    client = Client()
    assert client.login(username="officer1", password="legal-test-password")
    page = client.get("/tenancies/EX-0001/claim/").content.decode()
    assert "Not met" not in page
    from openincome.common.dates import uk_date

    assert f"recorded on import on {uk_date(day)}" in page
