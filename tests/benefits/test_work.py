"""The benefits work around a claim, called directly: UC verification requests, APA and
deduction requests (in payment once the ledger shows the credit, a chase after the policy's
wait), the first-year tracker, DHP, HB overpayments, circumstances and fraud referrals. Bad
input is refused with a clear message and nothing written."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.benefits import actions, queries
from openincome.benefits.models import (
    DHPApplication,
    HBOverpayment,
    PaymentRequest,
    Verification,
)
from openincome.interchange import import_folder
from openincome.ledger.models import RecordedAction, Tenancy, Transaction
from openincome.policy.defaults import DEFAULT_POLICY

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)


@pytest.fixture
def landlord(example_folder):
    import_folder(example_folder, actor="test")


def _tenancy() -> Tenancy:
    return Tenancy.objects.get(tenancy_ref="EX-0002")


def _credit(kind: str, date: datetime.date, ref: str) -> None:
    Transaction.objects.create(transaction_ref=ref, tenancy=_tenancy(), date=date, type=kind,
                               amount=-40_000)


def test_a_verification_is_open_until_answered_then_closed_from_that_day(landlord):
    v = actions.record_verification("UC-77", None, received=D, due=D + 7 * DAY, note="",
                                    as_of=D)
    assert list(queries.open_verifications(D)) == [v]
    actions.answer_verification(v, None, answered=D + 3 * DAY, answer="Rent £95.00 a week",
                                as_of=D)
    assert list(queries.open_verifications(D + 3 * DAY)) == []
    assert list(queries.open_verifications(D + 2 * DAY)) == [v]  # as it stood then
    assert AuditEvent.objects.filter(action="uc_verification_answered").exists()


def test_an_apa_request_is_chased_after_the_policys_weeks_and_in_payment_when_paid(landlord):
    weeks = DEFAULT_POLICY.benefit_request_chase_weeks
    req = actions.request_payment("UC-77", None, kind="apa", requested=D, amount=None,
                                  note="", as_of=D)
    assert RecordedAction.objects.filter(code="apa_requested", date=D).exists()
    (state,) = queries.payment_requests(D + (weeks * 7 - 1) * DAY, weeks)
    assert (state.status, state.chase) == ("requested", False)
    (state,) = queries.payment_requests(D + weeks * WEEK, weeks)
    assert (state.status, state.chase) == ("requested", True)
    _credit("uc_direct", D + (weeks * 7 + 3) * DAY, "UCD-1")
    (state,) = queries.payment_requests(D + (weeks * 7 + 3) * DAY, weeks)
    assert (state.status, state.first_paid, state.chase) == ("in_payment",
                                                            D + (weeks * 7 + 3) * DAY, False)
    assert queries.payment_requests(D + 60 * WEEK, weeks, open_only=True) == []
    assert req.pk == state.request.pk


def test_a_deduction_is_paid_by_a_tpd_credit_not_an_apa_one(landlord):
    actions.request_payment("UC-77", None, kind="tpd", requested=D, amount=1_500, note="",
                            as_of=D)
    _credit("uc_direct", D + DAY, "UCD-2")
    (state,) = queries.payment_requests(D + 2 * DAY, 6)
    assert state.status == "requested"
    _credit("tpd", D + 3 * DAY, "TPD-1")
    (state,) = queries.payment_requests(D + 3 * DAY, 6)
    assert state.status == "in_payment"


def test_a_payment_before_the_request_does_not_put_it_in_payment(landlord):
    _credit("uc_direct", D - DAY, "UCD-3")
    actions.request_payment("UC-77", None, kind="apa", requested=D, amount=None, note="",
                            as_of=D)
    (state,) = queries.payment_requests(D + DAY, 6)
    assert state.status == "requested"


def test_a_refused_request_is_not_chased(landlord):
    req = actions.request_payment("UC-77", None, kind="apa", requested=D, amount=None,
                                  note="", as_of=D)
    actions.payment_request_step(req, None, step="refused", date=D + WEEK, note="no",
                                 as_of=D)
    (state,) = queries.payment_requests(D + 10 * WEEK, 6)
    assert (state.status, state.chase) == ("refused", False)


def test_the_first_year_tracker_follows_a_new_uc_claim_with_prompts(landlord):
    actions.record_claim_status("UC-77", None, status="claimed", date=D, note="", as_of=D,
                                claim_made=D)
    actions.record_advance("UC-77", None, date=D + DAY, amount=50_000, repayment_months=24,
                           note="", as_of=D)
    (fy,) = queries.first_year_claims(D + 2 * DAY, DEFAULT_POLICY)
    whats = [m.what for m in fy.milestones]
    assert whats[:4] == ["Claim made", "Advance taken", "Assessment period ends",
                         "First payment expected"]
    assert fy.milestones[2].date == datetime.date(2026, 12, 22)
    assert fy.milestones[3].date == D + 35 * DAY
    assert fy.prompt.startswith("Check the tenant has reported their housing costs")
    assert queries.first_year_claims(D + 366 * DAY, DEFAULT_POLICY) == []


def test_a_dhp_award_recorded_by_hand_is_posted_as_a_dhp_credit(landlord):
    app = actions.apply_dhp(_tenancy(), None, applied=D, amount_asked=30_000,
                            reason="Benefit cap shortfall", evidence="Award letter", as_of=D)
    assert list(queries.dhp_awaiting(D)) == [app]
    actions.decide_dhp(app, None, decision="award", date=D + WEEK, award_amount=25_000,
                       period_start=D, period_end=D + 12 * WEEK, post_award=True, as_of=D)
    tx = Transaction.objects.get(transaction_ref=f"DHP-{app.pk}")
    assert (tx.type, tx.amount, tx.date) == ("dhp", -25_000, D + WEEK)
    assert list(queries.dhp_awaiting(D + WEEK)) == []
    assert list(queries.dhp_awaiting(D + DAY)) == [app]


def test_a_refusal_under_review_awaits_a_decision_again(landlord):
    app = actions.apply_dhp(_tenancy(), None, applied=D, amount_asked=None, reason="Cap",
                            evidence="", as_of=D)
    actions.decide_dhp(app, None, decision="refusal", date=D + WEEK, as_of=D)
    assert list(queries.dhp_awaiting(D + WEEK)) == []
    actions.request_dhp_review(app, None, date=D + 2 * WEEK, note="new evidence", as_of=D)
    assert list(queries.dhp_awaiting(D + 2 * WEEK)) == [app]


def test_an_hb_overpayment_is_posted_as_its_own_debt_and_the_tenants_position_kept(landlord):
    op = actions.record_hb_overpayment(_tenancy(), None, recovered=D, period_start=D - 8 * WEEK,
                                       period_end=D - 4 * WEEK, amount=38_000, as_of=D)
    tx = Transaction.objects.get(transaction_ref=op.transaction_ref)
    assert (tx.type, tx.amount) == ("adjustment_debit", 38_000)
    actions.record_tenant_position(op, None, position="Disputes the period", as_of=D)
    assert HBOverpayment.objects.get().tenant_position == "Disputes the period"


def test_a_fraud_referral_is_audited_without_its_detail(landlord):
    actions.refer_fraud(_tenancy(), None, referred_to="council", date=D,
                        detail="Suspected undeclared partner", as_of=D)
    event = AuditEvent.objects.get(action="fraud_referral_recorded")
    assert "partner" not in str(event.details) and "partner" not in event.why


@pytest.mark.parametrize(("call", "message"), [
    # Dates out of order.
    (lambda: actions.record_verification("UC-77", None, received=D, due=D - DAY, note="",
                                         as_of=D), "due date cannot be before"),
    (lambda: actions.chase_claim("UC-77", None, date=D, follow_up=D - DAY, note="", as_of=D),
     "follow-up date cannot be before"),
    (lambda: actions.record_hb_overpayment(_tenancy(), None, recovered=D, period_start=D,
                                           period_end=D - DAY, amount=100, as_of=D),
     "period cannot end before"),
    # Amounts that are not money.
    (lambda: actions.request_payment("UC-77", None, kind="tpd", requested=D, amount=-5,
                                     note="", as_of=D), "more than £0.00"),
    (lambda: actions.record_advance("UC-77", None, date=D, amount=10**12, repayment_months=24,
                                    note="", as_of=D), "no more than £1,000,000.00"),
    (lambda: actions.apply_dhp(_tenancy(), None, applied=D, amount_asked=1.5, reason="x",
                               evidence="", as_of=D), "must be an amount of money"),
    # A claim on another tenancy; an unknown claim.
    (lambda: actions.record_hb_overpayment(Tenancy.objects.get(tenancy_ref="EX-0001"), None,
                                           recovered=D, period_start=D - WEEK, period_end=D,
                                           amount=100, claim_ref="UC-77", as_of=D),
     "belongs to another tenancy"),
    (lambda: actions.request_payment("UC-NONE", None, kind="apa", requested=D, amount=None,
                                     note="", as_of=D), "No claim"),
    # An award without its amount or period.
    (lambda: actions.decide_dhp(actions.apply_dhp(_tenancy(), None, applied=D, amount_asked=None,
                                                  reason="x", evidence="", as_of=D),
                                None, decision="award", date=D, award_amount=100, as_of=D),
     "period the award covers"),
])
def test_bad_input_is_refused_with_a_message_and_nothing_written(landlord, call, message):
    counts = lambda: (Verification.objects.count(), PaymentRequest.objects.count(),  # noqa: E731
                      Transaction.objects.count(), HBOverpayment.objects.count())
    before = counts()
    with pytest.raises(ValueError, match=message):
        call()
    assert counts() == before
    assert not DHPApplication.objects.exclude(decision="").exists()


def test_a_step_on_a_request_cannot_predate_it(landlord):
    req = actions.request_payment("UC-77", None, kind="apa", requested=D, amount=None,
                                  note="", as_of=D)
    with pytest.raises(ValueError, match="before the request"):
        actions.payment_request_step(req, None, step="accepted", date=D - DAY, note="",
                                     as_of=D)
    assert PaymentRequest.objects.get().accepted_date is None


def test_the_benefits_work_exports_and_imports_back_unchanged(landlord, tmp_path):
    from openincome.interchange import export_folder

    v = actions.record_verification("UC-77", None, received=D, due=D + 7 * DAY, note="",
                                    as_of=D)
    actions.answer_verification(v, None, answered=D + DAY, answer="Confirmed", as_of=D)
    actions.request_payment("UC-77", None, kind="tpd", requested=D, amount=1_575, note="",
                            as_of=D)
    app = actions.apply_dhp(_tenancy(), None, applied=D, amount_asked=None, reason="Cap",
                            evidence="", as_of=D)
    actions.decide_dhp(app, None, decision="award", date=D + DAY, award_amount=10_000,
                       period_start=D, period_end=D + 4 * WEEK, as_of=D)
    actions.record_hb_overpayment(_tenancy(), None, recovered=D, period_start=D - 4 * WEEK,
                                  period_end=D - WEEK, amount=12_345, as_of=D)
    export_folder(tmp_path / "out")
    text = (tmp_path / "out" / "payment_requests.csv").read_text()
    assert f"UC-77,tpd,{D},,,,15.75," in text
    assert "Confirmed" in (tmp_path / "out" / "verifications.csv").read_text()
    result = import_folder(tmp_path / "out", actor="test")
    for name in ("verifications.csv", "payment_requests.csv", "dhp_applications.csv",
                 "hb_overpayments.csv"):
        assert (result.files[name].new, result.files[name].unchanged) == (0, 1), name


def test_an_imported_verification_due_before_it_was_received_is_refused(landlord, tmp_path):
    import shutil

    from openincome.interchange import ImportFailed
    from tests.conftest import FIXTURES

    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "interchange-small", folder)
    (folder / "verifications.csv").write_text(
        "claim_ref,received_date,due_date\nUC-77,2026-11-10,2026-11-01\n")
    with pytest.raises(ImportFailed) as refused:
        import_folder(folder, actor="test")
    assert str(refused.value.errors[0]).startswith("verifications.csv:2: due_date")
    assert not Verification.objects.exists()
