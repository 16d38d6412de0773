"""The gates of a claim and a warrant, table-driven: each row breaks one thing the step needs
(issue 16 item 5; reference §2, §3 and §5) and names the gate that must refuse it. A row that
breaks nothing shows the step goes ahead, so each refusal is the gate's doing."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.benefits.models import BenefitClaim
from openincome.cases.models import Pause
from openincome.ledger.models import RecordedAction, Tenancy, Transaction
from openincome.legal import actions, gates
from openincome.legal.actions import GateRefused
from openincome.legal.models import Approval, Assessment, Checklist, CourtCase, Notice
from openincome.legal.queries import terms_breached

from .conftest import make_ready

date = datetime.date
ON = date(2026, 11, 20)
SERVED = date(2026, 9, 1)


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


EPD, EXPIRY, POSSESSION = date(2026, 10, 5), date(2027, 10, 5), date(2026, 10, 1)


def notice(epd=EPD, expiry=EXPIRY):
    Notice.objects.create(notice_ref="NTC-G", tenancy=ex1(), kind="nosp_secure",
                          served_date=SERVED, method="hand", deemed_service_date=SERVED,
                          earliest_proceedings_date=epd, expiry_date=expiry)


def breathing_space():
    Pause.objects.create(tenancy=ex1(), reason="breathing_space_standard",
                         start_date=ON - datetime.timedelta(days=10))


def benefit_pending():
    BenefitClaim.objects.create(tenancy=ex1(), benefit="uc", claim_ref="UC-G", status="awaiting",
                                status_date=date(2026, 11, 1))


def benefit_in_payment():
    BenefitClaim.objects.create(tenancy=ex1(), benefit="uc", claim_ref="UC-G",
                                status="in_payment", status_date=date(2026, 11, 1))


def no_checklist_since_notice():
    # A checklist completed before the notice was served does not count for the claim.
    Checklist.objects.all().update(completed_date=SERVED - datetime.timedelta(days=1))
    # (and the ladder action it recorded with it, which an imported history could also hold)
    RecordedAction.objects.filter(code="pre_action_checklist_complete").update(
        date=SERVED - datetime.timedelta(days=1))


def not_proportionate():
    Assessment.objects.update(proportionate=False)


def no_assessment():
    Assessment.objects.all().delete()


def stale_assessment():
    Assessment.objects.update(assessed_date=ON - datetime.timedelta(days=29))


def refused_approval():
    Approval.objects.update(status="refused")


def pending_approval():
    Approval.objects.update(status="pending", decided_by=None, decided_date=None)


def used_approval():
    Approval.objects.update(status="used", used_for="K-OLD")


def no_notice():
    Checklist.objects.update(notice=None)
    Notice.objects.all().delete()


def notice_too_early():
    Notice.objects.update(earliest_proceedings_date=ON + datetime.timedelta(days=1))


def notice_expired():
    Notice.objects.update(expiry_date=ON - datetime.timedelta(days=1))


CLAIMS = [
    # (why, break it, the gate that refuses; None: the claim is recorded)
    ("everything in order", None, None),
    ("a Breathing Space runs (reference §5)", breathing_space, "breathing_space"),
    ("a benefit claim awaits a decision (reference §3)", benefit_pending, "benefit_pending"),
    ("a benefit in payment does not block", benefit_in_payment, None),
    ("no notice served", no_notice, "notice"),
    ("the notice's proceedings date not reached (POLICY.md §6)", notice_too_early, "notice"),
    ("the notice expired (POLICY.md §6)", notice_expired, "notice"),
    ("no checklist since the notice (reference §2)", no_checklist_since_notice, "checklist"),
    ("no proportionality assessment", no_assessment, "proportionality"),
    ("an assessment past the policy's days", stale_assessment, "proportionality"),
    ("the assessment found the claim not proportionate", not_proportionate, "proportionality"),
    ("the approval refused", refused_approval, "approval"),
    ("the request still waiting", pending_approval, "approval"),
    ("the approval used for an earlier claim", used_approval, "approval"),
]


@pytest.mark.parametrize(("why", "breaking", "gate"), CLAIMS, ids=[r[0] for r in CLAIMS])
def test_claim_gates(officer, leader, why, breaking, gate):
    notice()
    make_ready("EX-0001", "apply_for_court", ON, officer, leader)
    if breaking:
        breaking()
    if gate is None:
        actions.apply_for_court(ex1(), officer, claim_date=ON, claim_number="", as_of=ON)
        assert CourtCase.objects.filter(tenancy=ex1()).count() == 1
        return
    with pytest.raises(GateRefused) as refused:
        actions.apply_for_court(ex1(), officer, claim_date=ON, claim_number="", as_of=ON)
    assert refused.value.gate == gate
    assert str(refused.value).startswith(actions.GATES[gate])
    assert not CourtCase.objects.exists()
    assert not AuditEvent.objects.filter(action="claim_issued").exists()


def case(outcome="outright", possession=POSSESSION):
    CourtCase.objects.create(case_ref="K-W", tenancy=ex1(), claim_date=date(2026, 6, 1),
                             outcome=outcome, outcome_date=date(2026, 8, 3),
                             possession_date=possession, terms_instalment=500,
                             terms_frequency="weekly")


WARRANTS = [
    # (why, the court case as it stands, break it, gate)
    ("an outright order past its possession date", {}, None, None),
    ("a Breathing Space runs (reference §5)", {}, breathing_space, "breathing_space"),
    ("no court case", None, None, "order"),
    ("no outcome yet", {"outcome": "", "possession": None}, None, "order"),
    ("the claim was dismissed", {"outcome": "dismissed", "possession": None}, None, "order"),
    ("the possession date has not come", {"possession": ON + datetime.timedelta(days=1)}, None,
     "order"),
    ("a postponed order without a possession date (POLICY.md §3.8)",
     {"outcome": "ppo", "possession": None}, None, "order"),
    ("no proportionality assessment", {}, no_assessment, "proportionality"),
    ("no approval", {}, refused_approval, "approval"),
]


@pytest.mark.parametrize(("why", "court", "breaking", "gate"), WARRANTS,
                         ids=[r[0] for r in WARRANTS])
def test_warrant_gates(officer, leader, why, court, breaking, gate):
    if court is not None:
        case(**court)
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    if breaking:
        breaking()
    if gate is None:
        applied = actions.apply_for_warrant(ex1(), officer, applied=ON, as_of=ON)
        assert applied.warrant_date == ON
        return
    with pytest.raises(GateRefused) as refused:
        actions.apply_for_warrant(ex1(), officer, applied=ON, as_of=ON)
    assert refused.value.gate == gate
    assert not CourtCase.objects.filter(warrant_date__isnull=False).exists()


def test_a_suspended_order_broken_allows_a_warrant_and_kept_to_blocks_one(officer, leader):
    # EX-0001 owes £98.40 at the order and pays nothing after it: £5 a week off that is the
    # order's expected balance, so the terms are broken (the engine's own test, POLICY.md §4).
    case(outcome="spo", possession=None)
    court = CourtCase.objects.get(case_ref="K-W")
    assert gates.order_breached(court, ON, terms_breached(ex1(), ON)) is None
    Transaction.objects.create(transaction_ref="TEST-W-PAID", tenancy=ex1(),
                               date=date(2026, 8, 10), type="payment_dd", amount=-9840)
    assert gates.order_breached(court, ON, terms_breached(ex1(), ON)) == \
        "the tenant is keeping to the order's terms"
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    with pytest.raises(GateRefused, match="keeping to the order's terms"):
        actions.apply_for_warrant(ex1(), officer, applied=ON, as_of=ON)
