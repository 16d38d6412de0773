"""The evidence each protocol step finds on the account (reference §2): contacts, recorded
actions, referrals, benefit claims, income and expenditure, agreements and letters sent."""

import datetime

from openincome.agreements.models import Agency, Agreement, Referral
from openincome.benefits.models import BenefitClaim
from openincome.ledger.models import RecordedAction, Tenancy, Tenant
from openincome.legal.protocol import STEPS, evidence_for
from openincome.letters.actions import send_communication

ON = datetime.date(2026, 11, 20)


def ex1() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0001")


def labels(found, step):
    return [e.label for e in found[step]]


def test_an_account_with_nothing_shows_nothing_for_adr(officer):
    found = evidence_for(ex1(), ON)
    assert set(found) == set(STEPS) and found["adr"] == []


def test_each_kind_of_record_lands_on_its_step(officer):
    t = ex1()
    day = datetime.date(2026, 11, 2)
    RecordedAction.objects.create(tenancy=t, date=day, code="apa_requested")
    Referral.objects.create(tenancy=t, kind="money_advice", agency=Agency.objects.first(),
                            consent=True, referred_date=day)
    BenefitClaim.objects.create(tenancy=t, benefit="uc", claim_ref="UC-E", status="in_payment",
                                status_date=day)
    Agreement.objects.create(agreement_ref="AG-E", kind="informal", tenancy=t, start_date=day,
                             starting_balance=10_000, instalment=500, frequency="weekly",
                             status="live")
    Tenant.objects.filter(tenancy=t).update(vulnerabilities="mental_health")
    found = evidence_for(t, ON)
    assert any("APA" in x for x in labels(found, "dwp_deductions"))
    assert "Referral: money advice" in labels(found, "debt_advice")
    assert any("Universal Credit claim" in x for x in labels(found, "benefits"))
    assert any("AG-E" in x for x in labels(found, "affordable_plan"))
    assert any("mental health" in x for x in labels(found, "vulnerability"))
    # Nothing after the day asked about counts.
    assert evidence_for(t, day - datetime.timedelta(days=1))["debt_advice"] == []


def test_letters_show_statements_given_and_debt_advice_signposted(officer):
    send_communication(ex1(), officer, code="quarterly_statement", as_of=ON)
    found = evidence_for(ex1(), ON)
    assert found["debt_advice"] == []  # the statement says nothing of advice
    send_communication(ex1(), officer, code="letter_1", as_of=ON)
    found = evidence_for(ex1(), ON)
    letter = next(e for e in found["rent_statements"] if e.label == "Quarterly rent statement sent")
    assert letter.url.startswith("/tenancies/EX-0001/communications/?ref=")
    assert "Statement sent" in labels(found, "rent_statements")  # its ladder action too
    assert any("free debt advice" in x for x in labels(found, "debt_advice"))
