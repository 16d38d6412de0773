"""What officers read on the legal pages: labels not codes, UK dates, no internal document
names, words as written (DWP), and who did what."""

import datetime

import pytest
from django.test import Client

from openincome.ledger.models import Tenancy
from openincome.legal import actions, pcol
from openincome.legal.actions_court import CourtStepRefused, record_hearing, record_outcome
from openincome.legal.models import Approval, CourtCase
from openincome.legal.queries import legal_timeline
from openincome.web.forms_legal import ChecklistForm

from .conftest import make_ready

TODAY = datetime.date.today()


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password="legal-test-password")
    return client


def test_the_warrant_page_names_the_outcome_not_its_code(officer):
    CourtCase.objects.create(case_ref="K-L", tenancy=ex1(), claim_date=datetime.date(2026, 2, 4),
                             outcome="ppo", outcome_date=datetime.date(2026, 3, 4),
                             terms_instalment=500, terms_frequency="weekly")
    page = signed_in("officer1").get("/tenancies/EX-0001/warrant/").content.decode()
    assert "claim issued 4 Feb 2026: postponed possession order." in page
    assert ": ppo." not in page


def test_court_refusals_give_dates_as_people_read_them(officer):
    case = CourtCase.objects.create(case_ref="K-D", tenancy=ex1(),
                                    claim_date=datetime.date(2024, 4, 17))
    with pytest.raises(CourtStepRefused, match=r"before the claim \(17 Apr 2024\)"):
        record_hearing(case, officer, hearing_date=datetime.date(2024, 4, 1), court="Exeter",
                       place="", as_of=TODAY)
    record_hearing(case, officer, hearing_date=datetime.date(2024, 5, 1), court="Exeter",
                   place="", as_of=TODAY)
    with pytest.raises(CourtStepRefused, match=r"\(1 Jan 2099\) is after today") as refused:
        record_outcome(case, officer, outcome="dismissed", outcome_date=datetime.date(2099, 1, 1),
                       as_of=TODAY)
    assert "2099-01-01" not in str(refused.value)


def test_the_court_fee_says_where_it_comes_from_in_words_for_users():
    fee = pcol.court_fee("possession_claim", datetime.date(2026, 1, 5))
    assert "reference notes" not in fee.source and "EX50" in fee.source


def test_a_checklist_step_s_error_keeps_its_words_as_written():
    form = ChecklistForm({"completed-day": "1", "completed-month": "11",
                          "completed-year": "2026"}, evidence={})
    assert not form.is_valid()
    assert "Say how this was done: dWP" not in str(form.errors)
    assert any("DWP deductions" in e for e in form.errors["note_dwp_deductions"])


def test_an_approval_says_who_approved_it_and_who_used_it_and_when(officer, leader):
    served = TODAY - datetime.timedelta(days=3)
    make_ready("EX-0001", "serve_notice", served, officer, leader)
    notice = actions.serve_notice(ex1(), officer, kind="nosp_secure", served=served,
                                  method="hand", as_of=TODAY)
    approval = Approval.objects.get(escalation="serve_notice")
    page = signed_in("leader1").get(f"/approvals/{approval.pk}/").content.decode()
    assert "Used by leader1" not in page
    assert "Approved by leader1" in page
    assert f"used for {notice.notice_ref} by officer1 on" in page
    rows = legal_timeline(ex1())
    served_row = next(r for r in rows if r.step == "Notice served")
    assert served_row.by == "officer1"  # recorded in Open Income: who recorded it
    given = next(r for r in rows if r.step == "Approval given")
    assert f"used for {notice.notice_ref} by officer1 on" in given.details


def test_an_imported_notice_or_claim_says_it_came_on_import(officer):
    CourtCase.objects.create(case_ref="K-IMP", tenancy=ex1(), claim_date=datetime.date(2026, 2, 4))
    row = next(r for r in legal_timeline(ex1()) if r.step == "Claim issued")
    assert row.by == "On import"
