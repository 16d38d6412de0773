"""The legal tab's timeline: checklists, proportionality assessments and approvals (requested,
approved, refused, used) beside notices and court steps, with who did each, latest first."""

import datetime

from django.test import Client

from openincome.ledger.models import Tenancy
from openincome.legal import actions
from openincome.legal.actions_court import record_hearing
from openincome.legal.queries import legal_timeline

from .conftest import AS_OF, make_ready

date = datetime.date


def tenancy(ref: str) -> Tenancy:
    return Tenancy.objects.get(tenancy_ref=ref)


def steps(ref: str) -> list[tuple[datetime.date, str, str]]:
    return [(r.date, r.step, r.by) for r in legal_timeline(tenancy(ref))]


def test_a_served_notice_shows_the_checklist_assessment_and_approval_behind_it(officer,
                                                                            leader):
    on = date(2026, 11, 20)
    make_ready("EX-0001", "serve_notice", on, officer, leader)
    notice = actions.serve_notice(tenancy("EX-0001"), officer, kind="nosp_secure", served=on,
                                  method="hand", as_of=AS_OF)
    assert steps("EX-0001") == [
        (on, "Notice served", "officer1"),
        (on, "Approval given", "leader1"),
        (on, "Approval requested", "officer1"),
        (on, "Proportionality assessed", "officer1"),
        (on, "Pre-action checklist completed", "officer1"),
    ]
    rows = {r.step: r for r in legal_timeline(tenancy("EX-0001"))}
    approved = rows["Approval given"]
    assert approved.details.startswith("To serve a notice, at arrears of £")
    assert f"used for {notice.notice_ref} by officer1 on " in approved.details
    assert approved.note == "Proportionate"
    assessed = rows["Proportionality assessed"]
    assert assessed.details == "Before the step to serve a notice: proportionate"
    assert assessed.note == "Arrears keep rising"
    assert rows["Pre-action checklist completed"].details == (
        "All 8 protocol steps, before a notice; 8 with the officer's note")


def test_a_refused_request_shows_who_refused_and_why(officer, leader):
    t = tenancy("EX-0002")
    request = actions.request_approval(t, officer, escalation="apply_for_court",
                                       note="Arrears over eight weeks", as_of=date(2026, 11, 2))
    actions.decide_approval(request, leader, approve=False, reason="Try the agreement first",
                            as_of=date(2026, 11, 5))
    rows = [r for r in legal_timeline(t) if r.step.startswith("Approval")]
    assert [(r.date, r.step, r.by, r.note) for r in rows] == [
        (date(2026, 11, 5), "Approval refused", "leader1", "Try the agreement first"),
        (date(2026, 11, 2), "Approval requested", "officer1", "Arrears over eight weeks"),
    ]
    assert rows[0].details.startswith("To apply to court for possession, at arrears of £")
    assert "used for" not in rows[0].details


def test_a_waiting_request_shows_only_the_request(officer):
    t = tenancy("EX-0001")
    actions.request_approval(t, officer, escalation="apply_for_warrant", note="",
                             as_of=date(2026, 11, 2))
    assert [r.step for r in legal_timeline(t)] == ["Approval requested"]


def test_an_assessment_found_not_proportionate_says_so(officer):
    t = tenancy("EX-0001")
    actions.record_assessment(t, officer, escalation="apply_for_court",
                              assessed=date(2026, 11, 3), vulnerability="Recent bereavement",
                              effect="Arrears since the death", alternatives="DHP claim",
                              reasoning="Wait for the DHP decision", proportionate=False,
                              as_of=AS_OF)
    (row,) = legal_timeline(t)
    assert row.details == "Before the step to apply to court for possession: not proportionate"


def test_the_legal_tab_shows_them_with_uk_dates_and_labels_not_codes(officer, leader):
    make_ready("EX-0001", "apply_for_warrant", date(2026, 11, 20), officer, leader,
               checklist=False)
    actions.complete_checklist(tenancy("EX-0001"), officer, completed=date(2026, 11, 4),
                               notes={"adr": "Offered mediation"}
                               | {k: "Done" for k in ("contact_cause", "vulnerability",
                                                      "benefits", "dwp_deductions",
                                                      "affordable_plan", "rent_statements",
                                                      "debt_advice")},
                               as_of=AS_OF)
    client = Client()
    assert client.login(username="officer1", password="legal-test-password")
    page = client.get("/tenancies/EX-0001/legal/").content.decode()
    timeline = page[page.index('id="legal-timeline"'):]
    for words in ("Approval given", "Approval requested", "Proportionality assessed",
                  "Pre-action checklist completed", "To apply for a warrant of possession",
                  "20 Nov 2026", "4 Nov 2026", "leader1", "officer1"):
        assert words in timeline, words
    for code in ("apply_for_warrant", "serve_notice", "2026-11-20"):
        assert code not in timeline, code
    assert timeline.index("20 Nov 2026") < timeline.index("4 Nov 2026")


def test_a_day_of_steps_reads_latest_first_with_who_recorded_the_notice_and_claim(officer,
                                                                                   leader):
    # EX-0002's section 8 (NOT-1, 16 March 2026) was imported: it reads "On import".
    on = date(2026, 11, 20)
    make_ready("EX-0002", "apply_for_court", on, officer, leader)
    t = tenancy("EX-0002")
    t.benefit_claims.update(status="in_payment")
    case = actions.apply_for_court(t, officer, claim_date=on, claim_number="K00TL001",
                                   as_of=AS_OF)
    record_hearing(case, officer, hearing_date=on, court="County Court at Exeter", place="",
                   as_of=on)
    assert steps("EX-0002") == [
        (on, "Hearing listed", "officer1"),
        (on, "Claim issued", "officer1"),
        (on, "Approval given", "leader1"),
        (on, "Approval requested", "officer1"),
        (on, "Proportionality assessed", "officer1"),
        (on, "Pre-action checklist completed", "officer1"),
        (date(2026, 3, 16), "Notice served", "On import"),
    ]
