"""The protocol pages: checklist, assessment, approval request, the approvals queue and a
decision, claim and warrant; each calls its action, and each refusal is shown, nothing saved."""

import datetime

import pytest
from django.test import Client

from openincome.cases.models import Pause
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.legal.models import Approval, Assessment, Checklist, CourtCase, Notice
from openincome.legal.protocol import STEPS

from .conftest import NOTES, make_ready

T = "/tenancies/EX-0001"


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="legal-test-password")
    return client


def today() -> datetime.date:
    return datetime.date.today()


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@pytest.mark.parametrize("path", ["/checklist/", "/assessment/", "/approval/", "/claim/",
                                  "/warrant/"])
def test_each_page_opens_for_an_officer(officer, path):
    response = signed_in("officer1").get(T + path)
    assert response.status_code == 200


def test_the_account_links_to_the_legal_steps(officer):
    page = signed_in("officer1").get(T + "/").content.decode()
    for path in ("checklist", "assessment", "approval", "claim", "warrant"):
        assert f"{T}/{path}/" in page


def test_the_checklist_lists_evidence_and_asks_for_notes_where_there_is_none(officer):
    client = signed_in("officer1")
    response = client.post(T + "/checklist/", date_fields("completed", today()))
    page = response.content.decode()
    assert response.status_code == 400 and "There is a problem" in page
    assert "Say how this was done: alternative dispute resolution considered" in page
    assert not Checklist.objects.exists()
    response = client.post(T + "/checklist/", {**date_fields("completed", today()),
                                               **{f"note_{k}": v for k, v in NOTES.items()}})
    assert response.status_code == 302
    checklist = Checklist.objects.get()
    assert checklist.steps.count() == len(STEPS)
    assert RecordedAction.objects.filter(code="pre_action_checklist_complete").exists()


def test_the_checklist_names_the_notice_it_follows_in_words(officer):
    Notice.objects.create(notice_ref="NTC-WORDS", kind="nosp_secure", method="hand",
                          served_date=today() - datetime.timedelta(days=7),
                          tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"))
    page = signed_in("officer1").get(T + "/checklist/").content.decode()
    assert "A notice of seeking possession was served on" in page
    assert "nosp" not in page.lower()


def test_the_action_form_no_longer_offers_the_checklist(officer):
    client = signed_in("officer1")
    assert "pre_action_checklist_complete" not in client.get(T + "/action/").content.decode()
    response = client.post(T + "/action/", {"code": "pre_action_checklist_complete",
                                            **date_fields("date", today())})
    assert response.status_code in (200, 400)
    assert not RecordedAction.objects.filter(code="pre_action_checklist_complete").exists()


def test_an_assessment_is_recorded_from_the_page(officer):
    response = signed_in("officer1").post(T + "/assessment/", {
        "escalation": "serve_notice", **date_fields("assessed", today()),
        "vulnerability": "None known", "effect": "None", "alternatives": "Plan offered",
        "reasoning": "Arrears rising", "proportionate": "yes"})
    assert response.status_code == 302
    assert Assessment.objects.get().proportionate is True


def test_request_then_a_self_decision_is_refused_and_a_leader_approves(officer, leader):
    officer_client, leader_client = signed_in("officer1"), signed_in("leader1")
    assert officer_client.post(T + "/approval/", {"escalation": "serve_notice",
                                                  "note": "Please"}).status_code == 302
    approval = Approval.objects.get()
    queue = leader_client.get("/approvals/").content.decode()
    assert "Waiting for a decision: <strong>1</strong>" in queue
    assert f"/approvals/{approval.pk}/" in queue
    # An officer may read the request but not decide it.
    assert officer_client.get(f"/approvals/{approval.pk}/").status_code == 200
    assert officer_client.post(f"/approvals/{approval.pk}/", {
        "decision": "approve", "reason": "Mine"}).status_code == 403
    response = leader_client.post(f"/approvals/{approval.pk}/", {"decision": "approve",
                                                                 "reason": "Proportionate"})
    assert response.status_code == 302
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by.username) == ("approved", "leader1")


def test_a_team_leader_s_own_request_is_refused_on_the_page(leader):
    client = signed_in("leader1")
    client.post(T + "/approval/", {"escalation": "serve_notice", "note": ""})
    approval = Approval.objects.get()
    page = client.get(f"/approvals/{approval.pk}/").content.decode()
    assert "This is your own request" in page
    response = client.post(f"/approvals/{approval.pk}/", {"decision": "approve",
                                                          "reason": "Fine"})
    assert response.status_code == 400
    assert "You cannot decide your own request" in response.content.decode()
    approval.refresh_from_db()
    assert approval.status == "pending"


def test_the_queue_filters_and_sorts(officer, leader):
    make_ready("EX-0001", "serve_notice", today(), officer, leader, checklist=False)
    client = signed_in("leader1")
    assert "No requests to show" in client.get("/approvals/").content.decode()
    page = client.get("/approvals/?status=approved&sort=arrears&dir=desc").content.decode()
    assert "EX-0001" in page and 'aria-sort="descending"' in page
    assert "No requests to show" in client.get(
        "/approvals/?status=approved&step=apply_for_court").content.decode()


def test_a_claim_is_refused_during_a_breathing_space_with_the_gate_named(officer, leader):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    Pause.objects.create(tenancy=t, reason="breathing_space_standard",
                         start_date=today() - datetime.timedelta(days=3))
    client = signed_in("officer1")
    page = client.get(T + "/claim/").content.decode()
    assert "Not met" in page and "No notice, claim or warrant while a Breathing Space runs" in page
    response = client.post(T + "/claim/", date_fields("claim_date", today()))
    assert response.status_code == 400
    assert "No notice, claim or warrant while a Breathing Space runs" in response.content.decode()
    assert not CourtCase.objects.exists()


def test_a_claim_is_recorded_from_the_page(officer, leader):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    served = today() - datetime.timedelta(days=60)
    Notice.objects.create(notice_ref="NTC-W", tenancy=t, kind="nosp_secure", served_date=served,
                          method="hand", deemed_service_date=served,
                          earliest_proceedings_date=served + datetime.timedelta(days=30),
                          expiry_date=served + datetime.timedelta(days=400))
    make_ready("EX-0001", "apply_for_court", today(), officer, leader)
    response = signed_in("officer1").post(T + "/claim/", {
        **date_fields("claim_date", today()), "claim_number": "K12AB345"})
    assert response.status_code == 302
    assert CourtCase.objects.get().case_ref == "K12AB345"


def test_a_warrant_without_an_order_is_refused_on_the_page(officer):
    response = signed_in("officer1").post(T + "/warrant/", date_fields("applied", today()))
    assert response.status_code == 400
    assert "No warrant without a breached possession order" in response.content.decode()


def test_finance_reaches_none_of_it(finance):
    client = signed_in("finance1")
    for path in (T + "/checklist/", T + "/claim/", "/approvals/"):
        assert client.get(path).status_code == 403


def test_the_decision_page_states_the_decider_s_delegated_limit(officer, leader):
    officer_client = signed_in("officer1")
    officer_client.post(T + "/approval/", {"escalation": "apply_for_warrant", "note": ""})
    approval = Approval.objects.get()
    Approval.objects.filter(pk=approval.pk).update(arrears=300_000)
    page = signed_in("leader1").get(f"/approvals/{approval.pk}/").content.decode()
    assert "You may approve this step up to £2,500.00 of arrears." in page
    assert "above your delegated limit" in page


def test_the_account_says_where_the_protocol_stands(officer, leader):
    client = signed_in("officer1")
    assert "No pre-action checklist yet." in client.get(T + "/").content.decode()
    make_ready("EX-0001", "serve_notice", today(), officer, leader)
    page = client.get(T + "/").content.decode()
    assert "Pre-action checklist completed" in page
    assert "Approval to serve a notice</a>: approved, not yet used." in page
