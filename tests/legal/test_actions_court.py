"""The court-stage actions: each stored, audited, on the timeline and seen by the engine; each
refusal writes nothing."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases.queries import recommendation
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.stamps import versions
from openincome.legal.actions_court import (
    CourtStepRefused,
    fix_possession_date,
    prepare_for_hearing,
    record_evicted,
    record_eviction_date,
    record_hearing,
    record_n244,
    record_outcome,
    record_warrant_issued,
    serve_trial_extension,
)
from openincome.legal.models import CourtCase, CourtEvent
from openincome.letters.pdf import pdf_text

from .conftest import AS_OF, make_ready

date = datetime.date
CLAIMED = date(2026, 9, 1)
HEARD = date(2026, 10, 20)


@pytest.fixture
def case(officer):
    """A claim on EX-0001 (secure), as the claim action leaves it."""
    return CourtCase.objects.create(case_ref="CC-TEST-1", tenancy=Tenancy.objects.get(
        tenancy_ref="EX-0001"), claim_date=CLAIMED)


def heard(case, officer, **kwargs):
    return record_hearing(case, officer, hearing_date=HEARD, court="County Court at Exeter",
                          place="Southernhay Gardens", as_of=AS_OF, **kwargs)


def counts():
    return (CourtEvent.objects.count(), AuditEvent.objects.count(),
            list(CourtCase.objects.values_list("hearing_date", "outcome", "terms_instalment",
                                               "possession_date", "warrant_date",
                                               "eviction_date")))


def test_recording_a_hearing_stores_court_and_place_audits_and_stamps(case, officer):
    before = versions([case.tenancy_id])[case.tenancy_id]
    heard(case, officer)
    case.refresh_from_db()
    assert (case.hearing_date, case.court_name, case.hearing_place) == (
        HEARD, "County Court at Exeter", "Southernhay Gardens")
    event = CourtEvent.objects.get(case=case)
    assert event.kind == "hearing_listed" and "Exeter" in event.summary
    assert AuditEvent.objects.get(action="hearing_listed").details["court"] == \
        "County Court at Exeter"
    assert versions([case.tenancy_id])[case.tenancy_id] > before


@pytest.mark.parametrize("step, summary", ids=["hearing", "hearing pack"], argvalues=[
    (lambda case, officer: record_hearing(case, officer, hearing_date=date(2026, 10, 6),
                                          court="County Court at Exeter", place="",
                                          as_of=AS_OF),
     "Hearing on 6 Oct 2026 at County Court at Exeter"),
    (lambda case, officer: prepare_for_hearing(heard_on(case, officer, date(2027, 1, 4)),
                                               officer, as_of=AS_OF),
     "Hearing pack for 4 Jan 2027"),
])
def test_a_timeline_summary_shows_its_date_as_the_pages_do(case, officer, step, summary):
    step(case, officer)
    assert CourtEvent.objects.filter(case=case).latest("pk").summary.startswith(summary)


def heard_on(case, officer, day):
    record_hearing(case, officer, hearing_date=day, court="County Court at Exeter", place="",
                   as_of=AS_OF)
    case.refresh_from_db()
    return case


def test_an_spo_is_monitored_by_the_engine_and_a_missed_payment_is_the_order_breach_step(
        case, officer):
    heard(case, officer)
    record_outcome(case, officer, outcome="spo", outcome_date=HEARD, instalment=500,
                   frequency="weekly", as_of=AS_OF)
    case.refresh_from_db()
    assert (case.outcome, case.outcome_date, case.terms_instalment, case.terms_frequency) == (
        "spo", HEARD, 500, "weekly")
    # On the order's day it is kept; with no payment since, a month on it is breached.
    assert recommendation(case.tenancy, HEARD)["reasons"] == ["court_order_kept"]
    later = recommendation(case.tenancy, HEARD + datetime.timedelta(days=30))
    assert later["action"] == "send_order_breach_letter"
    assert later["reasons"] == ["court_order_breached"]


OUTCOME_ROWS = [
    # (outcome, extra arguments, what is refused or None) : POLICY.md §3.8's orders
    ("spo", {}, "amount"),
    ("spo", {"instalment": 500}, "how often"),
    ("outright", {}, "possession"),
    ("dismissed", {"instalment": 500, "frequency": "weekly"}, "no payment terms"),
    ("adjourned_generally", {"possession_date": HEARD}, "no possession date"),
    ("adjourned", {}, "new hearing date"),
    ("nonsense", {}, "not an outcome"),
    ("outright", {"possession_date": HEARD - datetime.timedelta(days=1)}, "before the order"),
]


@pytest.mark.parametrize(("outcome", "extra", "refusal"), OUTCOME_ROWS)
def test_an_outcome_missing_what_it_needs_is_refused_and_writes_nothing(
        case, officer, outcome, extra, refusal):
    heard(case, officer)
    before = counts()
    with pytest.raises(CourtStepRefused, match=refusal):
        record_outcome(case, officer, outcome=outcome, outcome_date=HEARD, as_of=AS_OF, **extra)
    assert counts() == before


def test_an_outcome_needs_a_hearing_first_and_cannot_be_in_the_future(case, officer):
    with pytest.raises(CourtStepRefused, match="hearing first"):
        record_outcome(case, officer, outcome="dismissed", outcome_date=HEARD, as_of=AS_OF)
    heard(case, officer)
    with pytest.raises(CourtStepRefused, match="after today"):
        record_outcome(case, officer, outcome="dismissed", outcome_date=AS_OF
                       + datetime.timedelta(days=1), as_of=AS_OF)


def test_adjourning_to_a_new_date_keeps_the_case_open(case, officer):
    heard(case, officer)
    new = date(2026, 12, 1)
    record_outcome(case, officer, outcome="adjourned", outcome_date=HEARD, next_hearing=new,
                   as_of=AS_OF)
    case.refresh_from_db()
    assert (case.hearing_date, case.outcome) == (new, "")
    assert recommendation(case.tenancy, AS_OF)["action"] == "prepare_for_hearing"


def test_a_restored_hearing_reopens_an_adjourned_case(case, officer):
    heard(case, officer)
    record_outcome(case, officer, outcome="adjourned_on_terms", outcome_date=HEARD,
                   instalment=300, frequency="weekly", as_of=AS_OF)
    record_hearing(case, officer, hearing_date=date(2026, 12, 10), court="County Court at "
                   "Exeter", place="", as_of=AS_OF)
    case.refresh_from_db()
    assert (case.outcome, case.terms_instalment, case.hearing_date) == (
        "", None, date(2026, 12, 10))
    assert CourtEvent.objects.filter(summary__startswith="Restored").count() == 1


def test_a_decided_case_takes_no_new_hearing(case, officer):
    heard(case, officer)
    record_outcome(case, officer, outcome="dismissed", outcome_date=HEARD, as_of=AS_OF)
    with pytest.raises(CourtStepRefused, match="decided"):
        heard(case, officer)


def test_a_warrant_needs_a_possession_order_and_a_ppo_its_fixed_date(case, officer, leader):
    heard(case, officer)
    with pytest.raises(CourtStepRefused, match="possession order"):
        record_warrant_issued(case, officer, issued=AS_OF, as_of=AS_OF)
    record_outcome(case, officer, outcome="ppo", outcome_date=HEARD, instalment=500,
                   frequency="weekly", as_of=AS_OF)
    before = counts()
    with pytest.raises(CourtStepRefused, match="without a fixed possession date"):
        record_warrant_issued(case, officer, issued=AS_OF, as_of=AS_OF)
    assert counts() == before
    fix_possession_date(case, officer, possession_date=date(2026, 11, 10),
                        fixed_on=date(2026, 11, 3), as_of=AS_OF)
    # The warrant application's own gates (proportionality, approval) then bind it too.
    make_ready("EX-0001", "apply_for_warrant", date(2026, 11, 16), officer, leader,
               checklist=False)
    record_warrant_issued(case, officer, issued=date(2026, 11, 16), as_of=AS_OF)
    case.refresh_from_db()
    assert case.warrant_date == date(2026, 11, 16)
    assert recommendation(case.tenancy, AS_OF)["reasons"] == ["awaiting_eviction_date"]


def test_eviction_date_then_evicted_ends_the_tenancy_as_former_tenant_arrears(case, officer,
                                                                             leader):
    heard(case, officer)
    record_outcome(case, officer, outcome="outright", outcome_date=HEARD,
                   possession_date=date(2026, 11, 3), as_of=AS_OF)
    with pytest.raises(CourtStepRefused, match="warrant first"):
        record_eviction_date(case, officer, eviction_date=date(2026, 12, 1), as_of=AS_OF)
    make_ready("EX-0001", "apply_for_warrant", date(2026, 11, 10), officer, leader,
               checklist=False)
    record_warrant_issued(case, officer, issued=date(2026, 11, 10), as_of=AS_OF)
    record_eviction_date(case, officer, eviction_date=date(2026, 11, 20), as_of=AS_OF)
    assert recommendation(case.tenancy, date(2026, 11, 19))["reasons"] == ["eviction_scheduled"]
    record_evicted(case, officer, evicted_on=date(2026, 11, 20), as_of=AS_OF)
    tenancy = Tenancy.objects.get(pk=case.tenancy_id)
    assert tenancy.end_date == date(2026, 11, 20)
    rec = recommendation(tenancy, AS_OF)
    assert (rec["action"], rec["reasons"]) == ("fta_recovery", ["former_tenant_arrears"])
    assert [e.kind for e in CourtEvent.objects.filter(case=case).order_by("pk")] == [
        "hearing_listed", "outcome", "warrant_issued", "eviction_date_set", "evicted"]
    assert AuditEvent.objects.filter(action="evicted").count() == 1


def test_a_tenants_n244_is_a_recorded_event_with_its_reason(case, officer):
    with pytest.raises(CourtStepRefused, match="applied for"):
        record_n244(case, officer, received=AS_OF, as_of=AS_OF)
    event = record_n244(case, officer, received=AS_OF, hearing_date=date(2026, 12, 2),
                        note="To suspend the warrant", as_of=AS_OF)
    assert event.kind == "n244" and "2 Dec 2026" in event.summary


def test_preparing_for_a_hearing_sends_the_notice_of_hearing_and_stores_the_pack(case, officer):
    record_hearing(case, officer, hearing_date=AS_OF + datetime.timedelta(days=5),
                   court="County Court at Exeter", place="Court 2", as_of=AS_OF)
    assert recommendation(case.tenancy, AS_OF)["action"] == "prepare_for_hearing"
    event = prepare_for_hearing(case, officer, as_of=AS_OF)
    text = pdf_text(bytes(event.pdf))
    assert "Hearing pack" in text and "Rent schedule" in text and "Court 2" in text
    assert RecordedAction.objects.filter(tenancy=case.tenancy,
                                         code="hearing_pack_prepared").count() == 1
    letter = case.tenancy.communications.get(version__template__code="hearing_notice")
    assert "at County Court at Exeter, Court 2." in letter.text  # where the hearing is
    assert recommendation(case.tenancy, AS_OF)["action"] != "prepare_for_hearing"


def test_preparing_needs_a_hearing_to_come(case, officer):
    with pytest.raises(CourtStepRefused, match="no hearing to come"):
        prepare_for_hearing(case, officer, as_of=AS_OF)


@pytest.fixture
def introductory(officer):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    Tenancy.objects.filter(pk=t.pk).update(tenure="introductory", start_date=date(2026, 1, 5))
    t.refresh_from_db()
    return t


def test_an_s125a_notice_extends_the_trial_by_six_months_once(introductory, officer):
    serve_trial_extension(introductory, officer, served=date(2026, 11, 2), as_of=AS_OF,
                          reason="Arrears have grown")
    introductory.refresh_from_db()
    assert introductory.trial_end_date == date(2027, 7, 5)
    assert AuditEvent.objects.get(action="trial_extended").details["old"] == "2027-01-05"
    with pytest.raises(CourtStepRefused, match="once"):
        serve_trial_extension(introductory, officer, served=date(2026, 11, 2), as_of=AS_OF,
                              reason="Again")


def test_an_s125a_notice_less_than_eight_weeks_before_the_trial_ends_is_refused(
        introductory, officer):
    with pytest.raises(CourtStepRefused, match="8 weeks"):
        serve_trial_extension(introductory, officer, served=date(2026, 11, 20), as_of=AS_OF,
                              reason="Arrears")
    introductory.refresh_from_db()
    assert introductory.trial_end_date is None


def test_a_court_name_too_long_or_with_control_characters_is_refused(case, officer):
    for court in ("C" * 201, "County\x00Court"):
        with pytest.raises(CourtStepRefused, match="The court"):
            record_hearing(case, officer, hearing_date=HEARD, court=court, place="",
                           as_of=AS_OF)
    assert not CourtEvent.objects.exists()


def test_a_note_with_a_control_character_undoes_the_whole_step(case, officer):
    heard(case, officer)
    before = counts()
    with pytest.raises(CourtStepRefused, match="The note"):
        record_outcome(case, officer, outcome="dismissed", outcome_date=HEARD, as_of=AS_OF,
                       note="bad\x07note")
    assert counts() == before


MONTH_LATER = HEARD + datetime.timedelta(days=30)
ENGINE_ROWS = [
    # (POLICY.md paragraph, outcome arguments, engine action a month on, reason) with no
    # payment since the order
    ("§3.8 SPO breached", {"outcome": "spo", "instalment": 500, "frequency": "weekly"},
     "send_order_breach_letter", "court_order_breached"),
    ("§3.8 PPO without a date, breached", {"outcome": "ppo", "instalment": 500,
                                          "frequency": "weekly"},
     "send_order_breach_letter", "court_order_breached"),
    ("§3.8 outright, possession date passed", {"outcome": "outright",
                                               "possession_date": HEARD + datetime.timedelta(
                                                   days=14)},
     "apply_for_warrant", "possession_date_passed"),
    ("§3.8 outright, possession date to come", {"outcome": "outright",
                                                "possession_date": MONTH_LATER
                                                + datetime.timedelta(days=1)},
     "none", "possession_date_pending"),
    ("§3.8 adjourned on terms, breached", {"outcome": "adjourned_on_terms", "instalment": 500,
                                          "frequency": "weekly"},
     "restore_hearing", "court_order_terms_breached"),
]


@pytest.mark.parametrize(("rule", "outcome", "action", "reason"), ENGINE_ROWS,
                         ids=[r[0] for r in ENGINE_ROWS])
def test_the_engine_acts_on_a_recorded_outcome(case, officer, rule, outcome, action, reason):
    heard(case, officer)
    record_outcome(case, officer, outcome_date=HEARD, as_of=AS_OF, **outcome)
    rec = recommendation(case.tenancy, MONTH_LATER)
    assert (rec["action"], rec["reasons"]) == (action, [reason])


def test_adjourning_a_generally_adjourned_case_to_a_date_reopens_it(case, officer):
    heard(case, officer)
    record_outcome(case, officer, outcome="adjourned_generally", outcome_date=HEARD,
                   as_of=AS_OF)
    record_outcome(case, officer, outcome="adjourned", outcome_date=HEARD,
                   next_hearing=date(2026, 12, 1), as_of=AS_OF)
    case.refresh_from_db()
    assert (case.outcome, case.outcome_date, case.hearing_date) == ("", None,
                                                                     date(2026, 12, 1))
