"""POLICY.md version 2's changes (its §9), rule by rule and boundary by boundary.

One row per scenario, named by the POLICY.md paragraph it covers, classified at D (Wednesday
4 March 2026) under the default policy (version 2) unless the row names another; the rules
version 2 left alone are covered by test_engine_policy_table.py against the `v1` preset.
Unless a row says otherwise the weekly rent W is £100.00.
"""

from __future__ import annotations

import datetime

import pytest
from engine_scenarios import D, T, ago
from test_engine_policy_table import base, check, contacted, nopay, old_debt

from openincome.engine import classify
from openincome.engine.decision import emitted_codes
from openincome.engine.reasons import REASON_CODES
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1

W = 10_000
date = datetime.date


def row(pid, build, policy=DEFAULT_POLICY, **expect):
    return pytest.param(build, policy, expect, id=pid)


def spo(t: T, order: int = 60, **terms) -> T:
    """A suspended order made `order` days ago on £10.00 a week (expected £320.00 at D)."""
    return t.case(ago(order + 20), hearing_date=ago(order), outcome="spo",
                  terms_instalment=1_000, **terms)


def ppo(t: T, **fields) -> T:
    """A postponed order made 60 days ago on £10.00 a week."""
    return t.case(ago(80), hearing_date=ago(60), outcome="ppo", terms_instalment=1_000,
                  **fields)


def notice_run(t: T, kind: str = "nosp_secure") -> T:
    """A notice served 60 days ago whose earliest proceedings date passed 30 days ago."""
    return t.notice(kind, ago(60), ago(30), ago(-300))


def fresh(arrears: int) -> T:
    """No payments, `arrears` owed since D − 20 (too recent an episode to be reducing)."""
    return T().rent(W, post=False).owes(arrears, ago(20))


def uc_to_tenant(t: T) -> T:
    return t.benefit("uc", "in_payment", ago(100))


OUTRIGHT_PAST = dict(hearing_date=ago(150), outcome="outright", possession_date=ago(100))

CASES = [
    # --- §1 reducing: R = £20.00 -----------------------------------------------------------
    row("§1 reducing: down £20.00 on D − 28 with a payment since → arrears_reducing",
        lambda: T().rent(W, post=False).owes(10_000, ago(40)).pay(2_000, ago(10)),
        reducing=True, action="none", reason="arrears_reducing"),
    row("§1 reducing: down £19.99 is not reducing → send_letter_1",
        lambda: T().rent(W, post=False).owes(10_000, ago(40)).pay(1_999, ago(10)),
        reducing=False, action="send_letter_1"),
    row("§1 reducing: version 1 took £1.00", lambda: T().rent(W, post=False)
        .owes(10_000, ago(40)).pay(100, ago(10)), policy=POLICY_V1, reducing=True),
    # --- §1 tenure at D ---------------------------------------------------------------------
    row("§1 tenure: an introductory tenancy whose trial ends on D is secure at D",
        lambda: T(tenure="introductory", trial_end=D).rent(W), tenure="secure", trial_end=D),
    row("§1 tenure: a trial ending D + 1 is still introductory",
        lambda: T(tenure="introductory", trial_end=ago(-1)).rent(W), tenure="introductory",
        trial_end=ago(-1)),
    row("§1 tenure: no trial end date → start + 12 months (4 Mar 2025 → secure on D)",
        lambda: T(tenure="introductory", start=date(2025, 3, 4)).rent(W), tenure="secure",
        trial_end=D),
    row("§1 tenure: start 5 Mar 2025 → the trial ends D + 1, still introductory",
        lambda: T(tenure="introductory", start=date(2025, 3, 5)).rent(W),
        tenure="introductory"),
    row("§1 tenure: a starter tenancy past its trial is assured",
        lambda: T(tenure="starter", trial_end=ago(10)).rent(W), tenure="assured"),
    row("§1 tenure: a secure tenancy has no trial end", lambda: T().rent(W), tenure="secure",
        trial_end=None),
    row("§1 tenure: version 1 kept introductory for ever",
        lambda: T(tenure="introductory", trial_end=ago(100)).rent(W), policy=POLICY_V1,
        tenure="introductory", trial_end=None),
    # --- §6 notice kind by the tenure at D ---------------------------------------------------
    row("§6 an introductory tenancy past its trial gets a NOSP",
        lambda: contacted(base(40_000, tenure="introductory", trial_end=ago(1))),
        action="serve_notice", notice_kind="nosp_secure"),
    row("§6 an introductory tenancy in its trial gets an s128 notice",
        lambda: contacted(base(40_000, tenure="introductory", trial_end=ago(-1))),
        action="serve_notice", notice_kind="intro_s128"),
    row("§6 a starter tenancy past its trial gets a section 8 notice",
        lambda: contacted(base(40_000, tenure="starter", trial_end=ago(1))),
        action="serve_notice", notice_kind="section_8"),
    # --- §3.7 prepare for a hearing ---------------------------------------------------------
    row("§3.7 hearing exactly 10 days away, no pack → prepare_for_hearing",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-10)),
        action="prepare_for_hearing", reason="hearing_soon", policy_section="§3.7"),
    row("§3.7 hearing 11 days away → awaiting_hearing",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-11)), action="none",
        reason="awaiting_hearing"),
    row("§3.7 hearing on D → prepare_for_hearing",
        lambda: base(40_000).case(ago(30), hearing_date=D), action="prepare_for_hearing"),
    row("§3.7 a hearing pack prepared since the claim → awaiting_hearing",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-5))
        .action("hearing_pack_prepared", ago(2)), action="none", reason="awaiting_hearing"),
    row("§3.7 a hearing pack prepared on the claim date counts",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-5))
        .action("hearing_pack_prepared", ago(30)), action="none", reason="awaiting_hearing"),
    row("§3.7 a hearing pack from before the claim does not count",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-5))
        .action("hearing_pack_prepared", ago(31)), action="prepare_for_hearing"),
    row("§3.7 a pack prepared after D does not count",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-5))
        .action("hearing_pack_prepared", ago(-1)), action="prepare_for_hearing"),
    row("§3.7 no hearing date yet → awaiting_hearing",
        lambda: base(40_000).case(ago(30)), action="none", reason="awaiting_hearing"),
    row("§3.7 hearing D − 1 with no outcome → update_court_outcome",
        lambda: base(40_000).case(ago(30), hearing_date=ago(1)),
        action="update_court_outcome"),
    row("§3.7 version 1 only waited for the hearing",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-3)), policy=POLICY_V1,
        action="none", reason="awaiting_hearing"),
    # --- §3.8 broken orders: a warning letter first -----------------------------------------
    row("§3.8 spo breached, no order breach letter → send_order_breach_letter",
        lambda: spo(old_debt(40_000)), action="send_order_breach_letter",
        reason="court_order_breached", court_order_expected=32_000),
    row("§3.8 spo breached, letter 13 days ago → waiting_after_order_breach_letter",
        lambda: spo(old_debt(40_000)).action("order_breach_letter_sent", ago(13)),
        action="none", reason="waiting_after_order_breach_letter",
        blocked_by=["waiting_after_order_breach_letter"]),
    row("§3.8 spo breached, letter exactly 14 days ago → apply_for_warrant",
        lambda: spo(old_debt(40_000)).action("order_breach_letter_sent", ago(14)),
        action="apply_for_warrant", reason="order_breach_letter_period_ended"),
    row("§3.8 spo breached, letter 56 days ago is still valid → apply_for_warrant",
        lambda: spo(old_debt(40_000)).action("order_breach_letter_sent", ago(56)),
        action="apply_for_warrant"),
    row("§3.8 spo breached, letter 57 days ago has lapsed → send_order_breach_letter",
        lambda: spo(old_debt(40_000)).action("order_breach_letter_sent", ago(57)),
        action="send_order_breach_letter"),
    row("§3.8 a letter before the order date does not count",
        lambda: spo(old_debt(40_000), order=20).action("order_breach_letter_sent", ago(21)),
        action="send_order_breach_letter"),
    row("§3.8 a letter on the order date counts",
        lambda: spo(old_debt(40_000), order=20).action("order_breach_letter_sent", ago(20)),
        action="apply_for_warrant"),
    row("§3.8 the latest letter decides: a second one 3 days ago starts a new wait",
        lambda: spo(old_debt(40_000)).action("order_breach_letter_sent", ago(30))
        .action("order_breach_letter_sent", ago(3)), action="none",
        reason="waiting_after_order_breach_letter"),
    row("§3.8 spo kept → court_order_kept",
        lambda: spo(old_debt(40_000).pay(8_000, ago(3))), action="none",
        reason="court_order_kept"),
    row("§3.8 version 1 went straight to a warrant",
        lambda: spo(old_debt(40_000)), policy=POLICY_V1, action="apply_for_warrant",
        reason="court_order_breached"),
    # --- §3.8 postponed orders ---------------------------------------------------------------
    row("§3.8 ppo breached, no letter → send_order_breach_letter",
        lambda: ppo(old_debt(40_000)), action="send_order_breach_letter"),
    row("§3.8 ppo breached, letter 14 days ago → apply_to_fix_possession_date",
        lambda: ppo(old_debt(40_000)).action("order_breach_letter_sent", ago(14)),
        action="apply_to_fix_possession_date", reason="order_breach_letter_period_ended"),
    row("§3.8 ppo with a fixed possession date ahead → possession_date_pending",
        lambda: ppo(old_debt(40_000), possession_date=ago(-5)), action="none",
        reason="possession_date_pending"),
    row("§3.8 ppo with a fixed possession date on D → possession_date_pending",
        lambda: ppo(old_debt(40_000), possession_date=D), action="none",
        reason="possession_date_pending"),
    row("§3.8 ppo with a fixed possession date passed, arrears > 0 → apply_for_warrant",
        lambda: ppo(old_debt(40_000), possession_date=ago(1)), action="apply_for_warrant",
        reason="possession_date_passed"),
    row("§3.8 ppo with a fixed date passed but nothing owed → continue (up_to_date)",
        lambda: ppo(T().charge(W).tx(ago(2), "rent", W), possession_date=ago(1)),
        action="none", reason="up_to_date"),
    row("§3.8 version 1 monitored a ppo with a possession date as an agreement",
        lambda: ppo(old_debt(40_000), possession_date=ago(1)), policy=POLICY_V1,
        action="apply_for_warrant", reason="court_order_breached"),
    # --- §3.8 warrants ---------------------------------------------------------------------------
    row("§3.8 warrant 90 days old, no eviction date → awaiting_eviction_date",
        lambda: base(40_000).case(ago(200), **OUTRIGHT_PAST, warrant_date=ago(90)),
        action="none", reason="awaiting_eviction_date"),
    row("§3.8 warrant 91 days old, no eviction date → chase_eviction_date",
        lambda: base(40_000).case(ago(200), **OUTRIGHT_PAST, warrant_date=ago(91)),
        action="chase_eviction_date", reason="warrant_not_executed"),
    row("§3.8 version 1 waited for the eviction date for ever",
        lambda: base(40_000).case(ago(400), hearing_date=ago(380), outcome="outright",
                                  possession_date=ago(350), warrant_date=ago(300)),
        policy=POLICY_V1, action="none", reason="awaiting_eviction_date"),
    # --- §4 breach on actionable arrears ----------------------------------------------------
    row("§4 a benefit payment on its way is not a breach (arrears over, A within) → kept",
        lambda: old_debt(40_001).agreement(ago(4), 40_000, 1_000)
        .benefit("uc", "in_payment", ago(100), expected=20_000),
        arrears=40_001, actionable_arrears=20_001, action="none", reason="agreement_kept"),
    row("§4 A = expected → kept",
        lambda: old_debt(60_000).agreement(ago(4), 40_000, 1_000)
        .benefit("uc", "in_payment", ago(100), expected=20_000),
        actionable_arrears=40_000, action="none", reason="agreement_kept"),
    row("§4 A 1p over the expected balance → review_breached_agreement",
        lambda: old_debt(60_001).agreement(ago(4), 40_000, 1_000)
        .benefit("uc", "in_payment", ago(100), expected=20_000),
        actionable_arrears=40_001, action="review_breached_agreement",
        reason="agreement_breached"),
    row("§4 a court order is judged on A too (benefit on its way → kept)",
        lambda: spo(old_debt(40_000).benefit("uc", "in_payment", ago(100), expected=10_000)),
        action="none", reason="court_order_kept"),
    row("§4 version 1 compared arrears",
        lambda: old_debt(40_001).agreement(ago(4), 40_000, 1_000)
        .benefit("uc", "in_payment", ago(100), expected=20_000), policy=POLICY_V1,
        action="review_breached_agreement"),
    # --- §3.10 promises to pay --------------------------------------------------------------------
    row("§3.10 promise due 2 days ago, nothing paid → promise_pending",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(2)), action="none",
        reason="promise_pending", blocked_by=["promise_pending"], promise_paid=0,
        policy_section="§3.10"),
    row("§3.10 promise due 3 days ago → the ladder resumes",
        lambda: fresh(10_000).promise(5_000, ago(6), ago(3)), action="send_letter_1"),
    row("§3.10 paid 1p short of the promise → promise_pending",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(2)).pay(4_999, ago(3)),
        action="none", reason="promise_pending", promise_paid=4_999),
    row("§3.10 paid in full → kept, the ladder goes on",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(2)).pay(5_000, ago(3)),
        action="send_letter_1"),
    row("§3.10 a payment on the day the promise was made counts",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(2)).pay(5_000, ago(5)),
        action="send_letter_1"),
    row("§3.10 a payment before the promise was made does not count",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(2)).pay(5_000, ago(6)),
        action="none", reason="promise_pending"),
    row("§3.10 a promise made before the episode is ignored",
        lambda: fresh(10_000).promise(5_000, ago(21), ago(-5)), action="send_letter_1"),
    row("§3.10 a promise made after D is ignored",
        lambda: fresh(10_000).promise(5_000, ago(-1), ago(-5)), action="send_letter_1"),
    row("§3.10 a promise made on D holds",
        lambda: fresh(10_000).promise(5_000, D, ago(-7)), action="none",
        reason="promise_pending"),
    row("§3.10 of two made the same day, the one due later decides",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(-3)).promise(5_000, ago(5), ago(4)),
        action="none", reason="promise_pending", promise_due_date=ago(-3)),
    row("§3.10 the latest promise decides (an earlier pending one does not hold)",
        lambda: fresh(10_000).promise(5_000, ago(8), ago(-3)).promise(1_000, ago(6), ago(4)),
        action="send_letter_1"),
    row("§3.10 a promise does not hold a court-order step (§3.8 comes first)",
        lambda: spo(old_debt(40_000)).promise(5_000, ago(5), ago(-2)),
        action="send_order_breach_letter"),
    row("§3.10 version 1 ignored promises",
        lambda: fresh(10_000).promise(5_000, ago(5), ago(2)), policy=POLICY_V1,
        action="send_letter_1"),
    # --- §5.3 request an APA before court -------------------------------------------------------
    row("§5.3 UC to the tenant, A = 8 × W, no APA → request_apa before the checklist",
        lambda: uc_to_tenant(notice_run(contacted(nopay(80_000))))
        .action("court_warning_sent", ago(20)), action="request_apa",
        reason="uc_apa_threshold_reached", policy_section="§5.3"),
    row("§5.3 A = 8 × W − 1p → complete_pre_action_checklist",
        lambda: uc_to_tenant(notice_run(contacted(nopay(79_999))))
        .action("court_warning_sent", ago(20)), action="complete_pre_action_checklist"),
    row("§5.3 an APA requested in the episode → complete_pre_action_checklist",
        lambda: uc_to_tenant(notice_run(contacted(nopay(80_000))))
        .action("court_warning_sent", ago(20)).action("apa_requested", ago(10)),
        action="complete_pre_action_checklist"),
    row("§5.3 UC paid to the landlord needs no APA → complete_pre_action_checklist",
        lambda: notice_run(contacted(nopay(80_000)))
        .benefit("uc", "in_payment", ago(100), direct=True)
        .action("court_warning_sent", ago(20)), action="complete_pre_action_checklist"),
    row("§5.3 the court warning still comes first",
        lambda: uc_to_tenant(notice_run(contacted(nopay(80_000)))),
        action="send_court_warning"),
    row("§5.3 version 1 went to the checklist",
        lambda: uc_to_tenant(notice_run(contacted(nopay(80_000))))
        .action("court_warning_sent", ago(20)), policy=POLICY_V1,
        action="complete_pre_action_checklist"),
    # --- §5.3 garages --------------------------------------------------------------------------
    row("§5.3 a garage whose notice to quit has run, A = 4 × W → end_garage_tenancy",
        lambda: notice_run(contacted(base(40_000, tenure="garage")), "notice_to_quit"),
        action="end_garage_tenancy", reason="garage_notice_run"),
    row("§5.3 a garage's notice still running → notice_period_running",
        lambda: contacted(base(40_000, tenure="garage"))
        .notice("notice_to_quit", ago(10), ago(-1), ago(-300)), action="none",
        reason="notice_period_running"),
    row("§5.3 a garage below 4 × W → the letter steps",
        lambda: notice_run(contacted(base(39_999, tenure="garage")), "notice_to_quit"),
        action="none", reason="below_notice_threshold"),
    row("§5.4 a garage without a notice → serve a notice to quit",
        lambda: contacted(base(40_000, tenure="garage")), action="serve_notice",
        notice_kind="notice_to_quit"),
    row("§5.3 version 1 sent a garage down the court path",
        lambda: notice_run(contacted(base(40_000, tenure="garage")), "notice_to_quit"),
        policy=POLICY_V1, action="send_court_warning"),
    # --- §7 priority -------------------------------------------------------------------------
    # base 10 + weeks 40 × 4/13 + days since payment 20 × 2/91 + hearing 15 + closeness.
    row("§7 prepare_for_hearing 10 days away carries the hearing weight (38)",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-10)), priority=38),
    row("§7 prepare_for_hearing 2 days away ranks higher (42)",
        lambda: base(40_000).case(ago(30), hearing_date=ago(-2)), priority=42),
    # old_debt pays its rent on Mondays: 10 + 12.31 + 0.44 (+ 15 for a court-order step).
    row("§7 an order breach ranks above the early ladder (38)",
        lambda: spo(old_debt(40_000)), action="send_order_breach_letter", priority=38),
    row("§7 the same arrears on the early ladder (23)",
        lambda: old_debt(40_000), action="send_letter_1", priority=23),
]


@pytest.mark.parametrize("build, policy, expect", CASES)
def test_policy_v2_rule(build, policy, expect):
    """The scenario's output row has every expected value."""
    got = build().row(policy=policy)
    problems = check(got, expect)
    assert not problems, problems


def test_the_v2_table_covers_every_change_of_section_9():
    """Every paragraph version 2 changed has rows, and version 1's behaviour is shown too."""
    ids = [c.id for c in CASES]
    for section in ["§1 reducing", "§1 tenure", "§3.7", "§3.8", "§3.10", "§4", "§5.3", "§6",
                    "§7"]:
        assert any(i.startswith(section) for i in ids), section
    assert sum("version 1" in i for i in ids) >= 8
    assert len(set(ids)) == len(ids)


def test_every_new_code_has_a_sentence():
    """The actions and reasons version 2 adds are worded, not shown as codes."""
    new = {"hearing_soon", "waiting_after_order_breach_letter",
           "order_breach_letter_period_ended", "warrant_not_executed", "promise_pending",
           "garage_notice_run"}
    assert new <= emitted_codes(DEFAULT_POLICY)
    assert new <= REASON_CODES


def test_the_example_sentence_of_the_issue_reads_as_written():
    """A broken suspended order: the sentence says what is wrong and what to do."""
    from openincome.engine.reasons import explain

    got = spo(old_debt(40_000)).row()
    sentence = explain("court_order_breached", got, DEFAULT_POLICY)
    assert sentence == (
        "The suspended order is broken: arrears are £400.00 when they should be no more than "
        "£320.00. Write to warn that the landlord will apply for a warrant unless the terms "
        "are kept."
    )


def test_a_whole_landlord_classifies_the_same_row_by_row_and_together():
    """Every v2 scenario in one run gives the row it gives alone (no leakage between rows)."""
    from engine_scenarios import combine

    built = [(c.values[0](), c.values[1], c.values[2]) for c in CASES
             if c.values[1] is DEFAULT_POLICY]
    full = classify(combine([t for t, _, _ in built]), DEFAULT_POLICY, D)
    by_id = {r["tenancy_id"]: r for r in full.iter_rows(named=True)}
    problems = [p for t, _, expect in built if (p := check(by_id[t.id], expect))]
    assert not problems, problems
