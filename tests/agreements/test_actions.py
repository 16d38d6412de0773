"""agreements.actions called directly: make, replace, cancel, complete. Each writes its
agreement, its history and its audit row; bad input raises with nothing written."""

import datetime

import pytest

from openincome.agreements import actions
from openincome.agreements.models import Agreement
from openincome.agreements.queries import live_agreement
from openincome.audit.models import AuditEvent

from .conftest import ARREARS, D, pay, tenancy

pytestmark = pytest.mark.django_db


def make(ref="EX-0002", **kw):
    args = dict(instalment=2_000, frequency="weekly", start=D, as_of=D)
    args.update(kw)
    return actions.make_agreement(tenancy(ref), None, **args)


def written():
    return (Agreement.objects.count(), Agreement.history.count(), AuditEvent.objects.count(),
            list(Agreement.objects.values_list("status", flat=True).order_by("pk")))


def test_make_defaults_the_balance_to_todays_arrears_and_audits(landlord):
    agreement = make(lump_sum=5_000, reason="Agreed on the phone")
    assert (agreement.agreement_ref, agreement.status, agreement.kind) == (
        "AG-EX-0002-1", "live", "informal")
    assert (agreement.starting_balance, agreement.lump_sum) == (ARREARS, 5_000)
    event = AuditEvent.objects.get(action="agreement_made")
    assert (event.object_ref, event.why) == ("EX-0002", "Agreed on the phone")
    assert event.details["agreement"] == "AG-EX-0002-1"
    assert agreement.history.count() == 1


def test_refs_skip_one_already_taken(landlord):
    Agreement.objects.create(agreement_ref="AG-EX-0002-1", tenancy=tenancy(), kind="informal",
                             start_date=D, starting_balance=1, instalment=1,
                             frequency="weekly", status="cancelled")
    assert make().agreement_ref == "AG-EX-0002-2"


def test_a_new_agreement_ends_the_live_one_with_the_reason(landlord):
    old = make()
    new = make(instalment=2_000, start=D + datetime.timedelta(days=7), reason="Pay rise")
    old.refresh_from_db()
    assert (old.status, old.end_date) == ("cancelled", D)
    assert old.end_reason == f"Replaced by {new.agreement_ref}: Pay rise"
    assert live_agreement(tenancy()) == new
    assert list(old.history.values_list("status", flat=True)) == ["cancelled", "live"]
    assert AuditEvent.objects.filter(action="agreement_cancelled").count() == 1


BAD = [
    pytest.param(dict(instalment=0), "instalment", id="zero-instalment"),
    pytest.param(dict(instalment=-500), "instalment", id="negative-instalment"),
    pytest.param(dict(frequency="daily"), "frequency", id="unknown-frequency"),
    pytest.param(dict(start=datetime.date(2025, 6, 1)), "start", id="before-tenancy"),
    pytest.param(dict(starting_balance=0), "starting_balance", id="nothing-to-repay"),
    pytest.param(dict(lump_sum=ARREARS), "lump_sum", id="lump-clears-it-all"),
    pytest.param(dict(lump_sum=0), "lump_sum", id="zero-lump"),
]


@pytest.mark.parametrize(("kw", "field"), BAD)
def test_bad_terms_are_refused_and_nothing_is_written(landlord, kw, field):
    before = written()
    with pytest.raises(actions.AgreementError) as err:
        make(**kw)
    assert err.value.field == field
    assert written() == before


def test_a_start_on_or_after_the_tenancy_end_is_refused(landlord):
    # EX-0003 ended on 2026-02-27 with arrears.
    with pytest.raises(actions.AgreementError, match="before the tenancy ends"):
        make("EX-0003", start=datetime.date(2026, 2, 27), starting_balance=1_000)


def test_an_account_not_in_arrears_is_refused(landlord):
    pay("EX-0002", D, ARREARS)
    with pytest.raises(actions.AgreementError, match="not in arrears"):
        make(starting_balance=10_000)


def test_a_second_live_agreement_without_a_reason_is_refused(landlord):
    make()
    before = written()
    with pytest.raises(actions.AgreementError, match="already a live agreement") as err:
        make(instalment=3_000)
    assert err.value.field == "reason"
    assert written() == before


def test_a_plan_past_the_maximum_term_needs_a_reason(landlord):
    # £1,090.35 at £10.00 a week: 110 weeks, past the default 104.
    before = written()
    with pytest.raises(actions.AgreementError, match="within 104 weeks") as err:
        make(instalment=1_000)
    assert err.value.field == "instalment"
    assert written() == before
    assert make(instalment=1_000, reason="Only £10 a week is affordable").status == "live"


def test_cancel_needs_a_reason_and_a_live_agreement(landlord):
    agreement = make()
    before = written()
    with pytest.raises(actions.AgreementError, match="Say why"):
        actions.cancel_agreement(agreement, None, reason="  ", on=D, as_of=D)
    assert written() == before
    actions.cancel_agreement(agreement, None, reason="Tenant moved out", on=D, as_of=D)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_reason) == ("cancelled", "Tenant moved out")
    with pytest.raises(actions.AgreementError, match="already cancelled"):
        actions.cancel_agreement(agreement, None, reason="Again", on=D, as_of=D)


def test_cancel_is_dated_from_the_start_to_today(landlord):
    later = make(start=D + datetime.timedelta(days=7))
    before = written()
    for on, message in [(D + datetime.timedelta(days=1), "in the future"),
                        (D - datetime.timedelta(days=1), "before the agreement started")]:
        with pytest.raises(actions.AgreementError, match=message):
            actions.cancel_agreement(later, None, reason="Moved", on=on, as_of=D)
    assert written() == before
    # Called off today, before its first day: allowed.
    actions.cancel_agreement(later, None, reason="Moved", on=D, as_of=D)
    later.refresh_from_db()
    assert (later.status, later.end_date) == ("cancelled", D)


def test_clearing_the_balance_completes_the_agreement(landlord):
    agreement = make()
    later = D + datetime.timedelta(days=20)
    pay("EX-0002", later, ARREARS - 1)
    assert actions.complete_cleared([agreement.tenancy_id], later) == []
    pay("EX-0002", later, 1)
    assert actions.complete_cleared([agreement.tenancy_id], later) == [agreement.agreement_ref]
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_date) == ("completed", later)
    assert agreement.end_reason.startswith(actions.CLEARED)
    assert AuditEvent.objects.filter(action="agreement_completed").count() == 1


def test_the_freshness_hook_completes_after_a_change_commits(landlord,
                                                             django_capture_on_commit_callbacks):
    from openincome.cases.actions import record_action

    agreement = make()
    pay("EX-0002", D, ARREARS)
    # Any action touching the tenancy runs the refreshers once it commits.
    with django_capture_on_commit_callbacks(execute=True):
        record_action(tenancy(), None, date=D, code="note", channel="", note="Paid in full",
                      as_of=D)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.end_date) == ("completed", D)


def test_referrals_to_a_retired_agency_or_of_an_unknown_kind_are_refused(landlord):
    from openincome.agreements.models import Agency, Referral

    agency = actions.save_agency("Old service", active=False, actor=None)
    for kw, field in [(dict(agency=agency), "agency"),
                      (dict(agency=Agency.objects.filter(active=True).first(), kind="x"),
                       "kind")]:
        with pytest.raises(actions.AgreementError) as err:
            actions.record_referral(tenancy(), None, **{
                "kind": "money_advice", "referred_date": D, "consent": True, "note": "",
                "as_of": D, **kw})
        assert err.value.field == field
    assert not Referral.objects.exists()


def test_a_referral_outcome_cannot_come_before_the_referral(landlord):
    from openincome.agreements.models import Agency

    referral = actions.record_referral(
        tenancy(), None, kind="benefits_advice", agency=Agency.objects.first(),
        referred_date=D, consent=True, note="", as_of=D)
    assert referral.tenancy.actions.filter(code="money_advice_referral").count() == 1
    with pytest.raises(actions.AgreementError, match="before the referral"):
        actions.record_referral_outcome(referral, None, outcome="engaged",
                                        outcome_date=D - datetime.timedelta(days=1))
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_terms_in_words_take_the_charge_from_the_engine(landlord):
    from openincome.agreements.queries import terms

    agreement = make(start=datetime.date(2026, 12, 7))
    # EX-0002's rent is £121.15 a week; £1,090.35 at £20.00 a week: 55 instalments, the last
    # 54 weeks after the first.
    assert terms(agreement) == (
        "The rent of £121.15 plus £20.00 towards the arrears, £141.15 a week from Monday 7 "
        "December 2026, clearing the arrears of £1,090.35 by Monday 20 December 2027.")
