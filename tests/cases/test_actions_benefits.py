"""cases.actions.update_benefit, called directly: the claim-reference rule lives in the action,
so the web form, the command line and the coming API all keep it."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.benefits.models import BenefitClaim
from openincome.cases import actions
from openincome.interchange import import_folder
from openincome.ledger.models import Tenancy

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 11, 23)


@pytest.fixture
def landlord(example_folder):
    import_folder(example_folder, actor="test")


def _update(ref: str, claim_ref: str, status: str = "in_payment"):
    return actions.update_benefit(
        Tenancy.objects.get(tenancy_ref=ref), None, claim_ref=claim_ref, benefit="uc",
        status=status, status_date=D, direct_to_landlord=False, expected_amount=45_000,
        frequency="monthly", apa_requested=False, note="", as_of=D)


def test_a_new_claim_reference_makes_a_claim_and_audits_it(landlord):
    claim = _update("EX-0001", "UC-NEW-1")
    assert (claim.tenancy.tenancy_ref, claim.status) == ("EX-0001", "in_payment")
    assert AuditEvent.objects.filter(action="benefit_updated", object_ref="EX-0001").exists()


def test_the_tenancys_own_claim_is_updated_with_its_history(landlord):
    claim = _update("EX-0002", "UC-77", status="in_payment")
    assert claim.pk == BenefitClaim.objects.get(claim_ref="UC-77").pk
    assert list(claim.history.values_list("status", flat=True))[:2] == ["in_payment", "claimed"]


def test_another_tenancys_claim_reference_is_refused_and_nothing_is_written(landlord):
    events = AuditEvent.objects.count()
    with pytest.raises(actions.ClaimElsewhere, match="belongs to another tenancy"):
        _update("EX-0001", "UC-77")
    claim = BenefitClaim.objects.get(claim_ref="UC-77")
    assert (claim.tenancy.tenancy_ref, claim.status) == ("EX-0002", "claimed")
    assert AuditEvent.objects.count() == events
