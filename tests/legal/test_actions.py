"""The protocol actions: the pre-action checklist, proportionality assessments, approvals under
delegated authority, and recording a claim and a warrant (each audited, each refusal writing
nothing)."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases.actions import record_action
from openincome.cases.models import Contact
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.legal import actions
from openincome.legal.actions import GateRefused, LegalError
from openincome.legal.models import Approval, Assessment, Checklist, CourtCase, Notice
from openincome.legal.protocol import STEPS
from openincome.policy.defaults import DEFAULT_POLICY
from openincome.staff.actions import add_user

from .conftest import NOTES, make_ready

date = datetime.date
ON = date(2026, 11, 20)


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


@pytest.fixture
def manager(landlord):
    return add_user("manager1", "manager", "legal-test-password", actor="test")


# --- the checklist ---------------------------------------------------------------------------


def test_a_checklist_needs_a_note_where_the_account_shows_nothing(officer):
    with pytest.raises(LegalError, match="Alternative dispute resolution considered"):
        actions.complete_checklist(ex1(), officer, completed=ON,
                                   notes={k: v for k, v in NOTES.items() if k != "adr"},
                                   as_of=ON)
    assert not Checklist.objects.exists()
    assert not RecordedAction.objects.filter(code="pre_action_checklist_complete").exists()


def test_evidence_on_the_account_stands_for_a_note(officer):
    Contact.objects.create(tenancy=ex1(), date=date(2026, 11, 2), channel="phone",
                           direction="outbound", outcome="spoke_to_tenant", officer=officer)
    notes = {k: v for k, v in NOTES.items() if k != "contact_cause"}
    checklist = actions.complete_checklist(ex1(), officer, completed=ON, notes=notes, as_of=ON)
    steps = {s.step: s for s in checklist.steps.all()}
    assert set(steps) == set(STEPS)
    assert steps["contact_cause"].note == ""
    assert steps["contact_cause"].evidence[0]["date"] == "2026-11-02"
    assert "spoke to the tenant" in steps["contact_cause"].evidence[0]["label"]


def test_completing_records_the_ladder_action_and_an_audit_row(officer):
    checklist = actions.complete_checklist(ex1(), officer, completed=ON, notes=NOTES, as_of=ON)
    action = RecordedAction.objects.get(code="pre_action_checklist_complete")
    assert (action.tenancy_id, action.date) == (ex1().pk, ON)
    event = AuditEvent.objects.get(action="pre_action_checklist_completed")
    assert event.actor == officer and event.details["checklist"] == checklist.pk


def test_a_checklist_cannot_be_completed_in_the_future(officer):
    with pytest.raises(LegalError, match="after today"):
        actions.complete_checklist(ex1(), officer, completed=ON, notes=NOTES,
                                   as_of=ON - datetime.timedelta(days=1))


def test_the_checklist_action_cannot_be_recorded_by_hand(officer):
    with pytest.raises(ValueError, match="pre-action checklist"):
        record_action(ex1(), officer, date=ON, code="pre_action_checklist_complete",
                      channel="", note="", as_of=ON)
    assert not RecordedAction.objects.filter(code="pre_action_checklist_complete").exists()


# --- proportionality -------------------------------------------------------------------------


def assess(user, **changes):
    args = {"escalation": "serve_notice", "assessed": ON, "vulnerability": "None known",
            "effect": "None", "alternatives": "Plan offered twice", "reasoning": "Rising arrears",
            "proportionate": True, "as_of": ON, **changes}
    return actions.record_assessment(ex1(), user, **args)


def test_an_assessment_is_stored_dated_and_audited(officer):
    assessment = assess(officer)
    assert (assessment.assessed_date, assessment.assessed_by) == (ON, officer)
    event = AuditEvent.objects.get(action="proportionality_assessed")
    assert event.details == {"assessment": assessment.pk, "escalation": "serve_notice",
                             "date": "2026-11-20", "proportionate": True}


@pytest.mark.parametrize("changes,message", [
    ({"reasoning": "  "}, "reasoning"),
    ({"escalation": "evict"}, "not a legal step"),
    ({"assessed": ON + datetime.timedelta(days=1)}, "after today"),
])
def test_an_incomplete_assessment_is_refused(officer, changes, message):
    with pytest.raises(LegalError, match=message):
        assess(officer, **changes)
    assert not Assessment.objects.exists()


# --- approvals -------------------------------------------------------------------------------


def request(user, escalation="serve_notice"):
    return actions.request_approval(ex1(), user, escalation=escalation, note="Please",
                                    as_of=ON)


def test_a_request_records_the_arrears_and_waits(officer):
    from openincome.ledger.balances import balance

    approval = request(officer)
    assert (approval.status, approval.arrears) == ("pending", balance(ex1(), ON))
    with pytest.raises(LegalError, match="already waiting"):
        request(officer)


def test_no_new_request_while_an_approval_waits_to_be_used(officer, leader):
    make_ready("EX-0001", "serve_notice", ON, officer, leader, checklist=False)
    with pytest.raises(LegalError, match="has not been used yet"):
        request(officer)
    request(officer, "apply_for_court")  # another step may be asked for


def test_nobody_decides_their_own_request(leader):
    approval = request(leader)
    with pytest.raises(LegalError, match="your own request"):
        actions.decide_approval(approval, leader, approve=True, reason="Fine", as_of=ON)
    approval.refresh_from_db()
    assert approval.status == "pending"
    assert not AuditEvent.objects.filter(action="approval_decided").exists()


def test_an_officer_may_not_approve(officer, leader):
    approval = request(leader)
    with pytest.raises(LegalError, match="may not approve"):
        actions.decide_approval(approval, officer, approve=True, reason="Fine", as_of=ON)


def test_arrears_above_the_team_leader_s_limit_need_a_manager(officer, leader, manager):
    approval = request(officer, "apply_for_warrant")
    limit = DEFAULT_POLICY.legal_approval_limits["team_leader"]["apply_for_warrant"]
    Approval.objects.filter(pk=approval.pk).update(arrears=limit + 1)
    with pytest.raises(LegalError, match="delegated limit of £2,500.00"):
        actions.decide_approval(approval, leader, approve=True, reason="Fine", as_of=ON)
    decided = actions.decide_approval(approval, manager, approve=True, reason="Fine", as_of=ON)
    assert (decided.status, decided.decided_by, decided.decided_date) == ("approved", manager, ON)


def test_a_refusal_needs_a_reason_and_is_audited(officer, leader):
    approval = request(officer)
    with pytest.raises(LegalError, match="reason"):
        actions.decide_approval(approval, leader, approve=False, reason=" ", as_of=ON)
    actions.decide_approval(approval, leader, approve=False, reason="Try a plan first",
                            as_of=ON)
    event = AuditEvent.objects.get(action="approval_decided")
    assert (event.actor, event.why, event.details["decision"]) == (
        leader, "Try a plan first", "refused")
    with pytest.raises(LegalError, match="already been decided"):
        actions.decide_approval(approval, leader, approve=True, reason="Changed", as_of=ON)


def test_serving_a_notice_uses_its_approval_up(officer, leader):
    approval = make_ready("EX-0001", "serve_notice", ON, officer, leader)
    notice = actions.serve_notice(ex1(), officer, kind="nosp_secure", served=ON,
                                  method="hand", as_of=ON)
    approval.refresh_from_db()
    assert (approval.status, approval.used_for) == ("used", notice.notice_ref)
    with pytest.raises(GateRefused) as refused:
        actions.serve_notice(ex1(), officer, kind="nosp_secure", served=ON, method="hand",
                             as_of=ON)
    assert refused.value.gate == "approval"


# --- claims and warrants ---------------------------------------------------------------------


SERVED = date(2026, 9, 1)


def served_notice(t: Tenancy, served=SERVED) -> Notice:
    return Notice.objects.create(notice_ref="NTC-T", tenancy=t, kind="nosp_secure",
                                 served_date=served, method="hand", deemed_service_date=served,
                                 earliest_proceedings_date=served + datetime.timedelta(days=35),
                                 expiry_date=served + datetime.timedelta(days=400))


def test_a_claim_is_recorded_with_its_notice_and_audited(officer, leader):
    t = ex1()
    notice = served_notice(t)
    make_ready("EX-0001", "apply_for_court", ON, officer, leader)
    case = actions.apply_for_court(t, officer, claim_date=ON, claim_number="K00XX123",
                                   as_of=ON)
    assert (case.case_ref, case.claim_date, case.tenancy) == ("K00XX123", ON, t)
    event = AuditEvent.objects.get(action="claim_issued")
    assert event.details["notice"] == notice.notice_ref
    assert Approval.objects.get(escalation="apply_for_court").status == "used"


def test_a_claim_date_in_the_future_is_refused(officer):
    with pytest.raises(LegalError, match="after today"):
        actions.apply_for_court(ex1(), officer, claim_date=ON, claim_number="",
                                as_of=ON - datetime.timedelta(days=1))
    assert not CourtCase.objects.exists()


def test_a_warrant_sets_the_warrant_date_on_the_case(officer, leader):
    t = ex1()
    case = CourtCase.objects.create(case_ref="K1", tenancy=t, claim_date=date(2026, 6, 1),
                                    outcome="outright", outcome_date=date(2026, 8, 1),
                                    possession_date=date(2026, 8, 29))
    make_ready("EX-0001", "apply_for_warrant", ON, officer, leader, checklist=False)
    actions.apply_for_warrant(t, officer, applied=ON, as_of=ON)
    case.refresh_from_db()
    assert case.warrant_date == ON
    assert AuditEvent.objects.get(action="warrant_applied").details["case"] == "K1"
    with pytest.raises(GateRefused):  # its approval is used up
        actions.apply_for_warrant(t, officer, applied=ON, as_of=ON)
