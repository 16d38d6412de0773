"""Recording on an account: valid input is saved, audited and reclassifies; bad input is not."""

import html

import pytest
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.benefits.models import BenefitClaim
from openincome.cases.models import Contact, Pause, WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.ledger.models import RecordedAction, Tenant

pytestmark = pytest.mark.django_db
BASE = "/tenancies/EX-0002/"


def today() -> str:
    return timezone.localdate().isoformat()


def dmy(name: str, iso: str) -> dict[str, str]:
    """A date as the GOV.UK date input posts it: NAME-day, NAME-month and NAME-year."""
    year, month, day = iso.split("-")
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


def test_account_page_shows_balance_and_recommendation(officer):
    import datetime

    from openincome.cases.queries import recommendation
    from openincome.ledger.balances import balance
    from openincome.ledger.models import Tenancy

    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    as_of = datetime.date(2026, 11, 23)
    text = officer.get(BASE, {"as_of": as_of.isoformat()}).content.decode()
    shown = text.split('id="balance">', 1)[1].split("<", 1)[0]
    assert shown == f"£{balance(tenancy, as_of) / 100:,.2f}" == "£1,090.35"
    rec = recommendation(tenancy, as_of)
    assert f"Recommended: {rec['action_label']}" in text and rec["action"] != "none"
    for sentence in rec["explanations"]:
        assert html.escape(sentence) in text


def test_account_page_shows_a_payment_posted_after_the_nightly_run(officer):
    """The stored row serves the page until the tenancy changes; then the page works it out."""
    import datetime

    from openincome.ledger.models import Tenancy, Transaction

    as_of = datetime.date(2026, 11, 23)
    run_nightly(as_of)
    before = officer.get(BASE, {"as_of": as_of.isoformat()}).content.decode()
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    Transaction.objects.create(transaction_ref="LATE-PAY-1", tenancy=tenancy, date=as_of,
                               type="payment_card", amount=-123_456)
    after = officer.get(BASE, {"as_of": as_of.isoformat()}).content.decode()
    balance = WorklistEntry.objects.get(run__as_of=as_of, tenancy=tenancy).balance - 123_456

    def shown(html: str) -> str:
        return html.split('id="balance">', 1)[1].split("<", 1)[0]

    assert shown(after) != shown(before)
    assert shown(after).startswith(f"-£{-balance / 100:,.2f}" if balance < 0
                                   else f"£{balance / 100:,.2f}")


def test_unknown_tenancy_is_404(officer):
    assert officer.get("/tenancies/NOPE/").status_code == 404


def test_recording_a_contact_logs_it_moves_the_ladder_and_audits(officer):
    response = officer.post(BASE + "contact/", {
        **dmy("date", today()), "channel": "phone", "direction": "outbound",
        "outcome": "spoke_to_tenant", "note": "Agreed to pay on Friday",
    })
    assert response.status_code == 302
    assert Contact.objects.filter(tenancy__tenancy_ref="EX-0002").count() == 1
    assert RecordedAction.objects.filter(tenancy__tenancy_ref="EX-0002", code="contact_made",
                                         date=timezone.localdate()).exists()
    assert AuditEvent.objects.filter(action="contact_recorded", object_ref="EX-0002").exists()


def test_recording_reclassifies_the_stored_worklist_row(officer,
                                                       django_capture_on_commit_callbacks):
    run_nightly(timezone.localdate())
    before = WorklistEntry.objects.get(run__as_of=timezone.localdate(),
                                       tenancy__tenancy_ref="EX-0002")
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(BASE + "pause/", {"reason": "hospital", **dmy("start_date", today()),
                                       "note": "In hospital"})
    after = WorklistEntry.objects.get(run__as_of=timezone.localdate(),
                                      tenancy__tenancy_ref="EX-0002")
    # One row still (the refresh holds the tenancy's lock: two officers cannot duplicate it).
    assert before.action != "paused" and after.action == "paused"


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("contact/", {**dmy("date", "--"), "channel": "phone", "direction": "outbound",
                      "outcome": "no_answer"}, "Enter the date of the contact"),
        ("contact/", {**dmy("date", "2026-02-31"), "channel": "phone", "direction": "outbound",
                      "outcome": "no_answer"}, "Enter a real date"),
        ("contact/", {**dmy("date", "2099-01-01"), "channel": "phone", "direction": "outbound",
                      "outcome": "no_answer"}, "must be today or in the past"),
        ("action/", {**dmy("date", "2026-11-02"), "code": ""}, "Select what you did"),
        ("pause/", {"reason": "hospital", **dmy("start_date", "2026-11-10"),
                    **dmy("end_date", "2026-11-01"), "note": "x"},
         "must be on or after the start date"),
        ("pause/", {"reason": "hospital", **dmy("start_date", "2026-11-10"), "note": ""},
         "Say why the case is paused"),
        ("benefit/", {"benefit": "uc", "claim_ref": "UC-9", "status": "in_payment",
                      **dmy("status_date", "2026-11-02"), "expected_amount": "12.345"},
         "Enter the amount in pounds"),
        ("benefit/", {"benefit": "uc", "claim_ref": "UC-9", "status": "in_payment",
                      **dmy("status_date", "2026-11-02"), "expected_amount": "-5"},
         "Enter the amount in pounds"),
        ("details/", {"email": "not-an-email", "why": "update"}, "Enter an email address"),
        ("details/", {"vulnerabilities": "other", "why": "x"},
         "Say what the other vulnerability is"),
    ],
)
def test_bad_input_shows_error_summary_keeps_input_and_saves_nothing(officer, path, data,
                                                                      message):
    counts = (Contact.objects.count(), RecordedAction.objects.count(), Pause.objects.count(),
              BenefitClaim.objects.count(), AuditEvent.objects.count())
    emails = list(Tenant.objects.values_list("email", flat=True))
    response = officer.post(BASE + path, data)
    text = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in text and message in text
    for value in data.values():
        if value:
            assert value in text, f"input {value!r} not kept"
    assert counts == (Contact.objects.count(), RecordedAction.objects.count(),
                      Pause.objects.count(), BenefitClaim.objects.count(),
                      AuditEvent.objects.count())
    assert emails == list(Tenant.objects.values_list("email", flat=True))


def test_benefit_update_keeps_status_history_and_records_apa(officer):
    officer.post(BASE + "benefit/", {
        "benefit": "uc", "claim_ref": "UC-77", "status": "in_payment",
        **dmy("status_date", today()),
        "direct_to_landlord": "false", "expected_amount": "450.00", "frequency": "monthly",
        "apa_requested": "on", "note": "DWP confirmed",
    })
    claim = BenefitClaim.objects.get(claim_ref="UC-77")
    assert (claim.status, claim.expected_amount) == ("in_payment", 45000)
    assert claim.history.count() >= 1
    assert RecordedAction.objects.filter(code="apa_requested").exists()


def test_finance_can_read_accounts_but_not_record(finance):
    assert finance.get(BASE).status_code == 200
    assert finance.post(BASE + "contact/", {**dmy("date", today()), "channel": "phone",
                                            "direction": "outbound",
                                            "outcome": "no_answer"}).status_code == 403
    assert not Contact.objects.exists()


def test_search_finds_by_postcode_reference_and_name(officer):
    assert b"EX-0001" in officer.get("/search/", {"q": "NN1 1AA"}).content
    assert b"EX-0002" in officer.get("/search/", {"q": "ex-0002"}).content
    assert b"EX-0003" in officer.get("/search/", {"q": "Nowak"}).content
    partial = officer.get("/search/", {"q": "Patel"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"EX-0002" in partial.content
    assert b"No tenancy matches" in officer.get("/search/", {"q": "zzzz"}).content


def test_a_claim_reference_of_another_tenancy_is_a_form_error(officer):
    response = officer.post("/tenancies/EX-0001/benefit/", {
        "benefit": "uc", "claim_ref": "UC-77", "status": "in_payment",
        "status_date": today(), "direct_to_landlord": "false", "expected_amount": "",
        "frequency": "", "note": "",
    })
    assert response.status_code == 400
    assert "This claim reference belongs to another tenancy" in response.content.decode()
    assert BenefitClaim.objects.get(claim_ref="UC-77").tenancy.tenancy_ref == "EX-0002"
