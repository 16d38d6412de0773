"""The decision: POLICY.md §3 steps 1–10 then the §5 ladder, first match decides.

One function per POLICY.md paragraph, in the page's order, each returning its rules; a rule
is (condition, action, deciding reason, what blocked escalation). `decide` folds them into one
`pl.when` chain, so a tenancy takes the first rule whose condition holds and "continue with
step N" is simply no rule matching. Conditions read the per-tenancy feature columns built in
`classify` (§1, §2 quantities and the §4 breach checks).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from openincome.engine.dates import days_between
from openincome.policy.params import PolicyParams

c = pl.col


@dataclass(frozen=True)
class Rule:
    """One line of the policy: when `when` holds, propose `action` for `reason`."""

    section: str
    when: pl.Expr
    action: str
    # The deciding reason code, or a List(String) expression whose first code decides (the
    # pause reason; every data problem found).
    reason: str | pl.Expr
    blocked_by: tuple[str, ...] = ()
    supporting: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What every section needs: the policy and D."""

    policy: PolicyParams
    as_of: datetime.date

    @property
    def d(self) -> pl.Expr:
        """D as a literal."""
        return pl.lit(self.as_of, dtype=pl.Date)

    def days_ago(self, column: str) -> pl.Expr:
        """D − the date in `column` (null when there is none)."""
        return days_between(self.as_of, c(column))


W = c("weekly_charge")
A = c("actionable_arrears")
BALANCE = c("balance")
ARREARS = c("arrears")

DATA_PROBLEM_OUTCOMES_NEEDING_TERMS = ("spo", "ppo", "adjourned_on_terms")


# --- §3 order of evaluation ------------------------------------------------------------------


def step_1_breathing_space(x: Context) -> list[Rule]:
    """§3.1 Breathing space: paused; new arrears ≥ 2 × W → request a review."""
    active = c("bs_start").is_not_null()
    new = c("breathing_space_new_arrears")
    # With W = 0 the 2 × W test alone would hold for zero new arrears; new arrears must exist.
    review = active & (new >= x.policy.breathing_space_review_weeks * W) & (new > 0)
    return [
        Rule("§3.1", review, "request_breathing_space_review", "new_arrears_in_breathing_space",
             ("breathing_space",), ("breathing_space",)),
        Rule("§3.1", active, "paused", "breathing_space", ("breathing_space",)),
    ]


def step_2_former_tenancy(x: Context) -> list[Rule]:
    """§3.2 Former tenancy (end_date ≤ D): recover, refund or nothing."""
    ended = (c("end_date") <= x.d).fill_null(False)
    return [
        Rule("§3.2", ended & (BALANCE > 0), "fta_recovery", "former_tenant_arrears"),
        Rule("§3.2", ended & (BALANCE < 0), "refund_review", "former_tenant_in_credit"),
        Rule("§3.2", ended, "none", "clear"),
    ]


def step_3_eviction(x: Context) -> list[Rule]:
    """§3.3 An eviction date on or after D: nothing more to do."""
    return [
        Rule("§3.3", c("eviction_date") >= x.d, "none", "eviction_scheduled",
             ("eviction_scheduled",)),
    ]


def step_4_officer_pause(x: Context) -> list[Rule]:
    """§3.4 An officer pause: paused, reason = the pause reason."""
    return [
        Rule("§3.4", c("op_reason").is_not_null(), "paused", pl.concat_list([c("op_reason")]),
             ("officer_pause",)),
    ]


def data_problems(x: Context) -> list[tuple[str, pl.Expr]]:
    """§3.5 data problems in the order listed, plus unreadable input (unknown codes)."""
    outcome = c("court_outcome")
    return [
        ("no_weekly_charge", (BALANCE > 0) & (W == 0)),
        ("court_outcome_without_hearing_date", outcome.is_not_null() & c("hearing_date").is_null()),
        ("eviction_date_passed", c("eviction_date") < x.d),
        (
            "court_order_without_terms",
            outcome.is_in(DATA_PROBLEM_OUTCOMES_NEEDING_TERMS) & c("terms_instalment").is_null(),
        ),
        ("unknown_transaction_type", c("unknown_types") > 0),
        ("unknown_charge_frequency", c("unknown_frequency")),
        ("notice_dates_unknown", c("notice_dates_unknown")),
    ]


def step_5_data_problem(x: Context) -> list[Rule]:
    """§3.5 Data problem → check_data, every problem found listed."""
    problems = data_problems(x)
    found = pl.any_horizontal([cond.fill_null(False) for _, cond in problems])
    codes = pl.concat_list(
        [pl.when(cond.fill_null(False)).then(pl.lit(code)) for code, cond in problems]
    ).list.drop_nulls()
    return [Rule("§3.5", found, "check_data", codes)]


def step_6_not_in_arrears(x: Context) -> list[Rule]:
    """§3.6 Not in arrears: in credit or clear."""
    return [
        Rule("§3.6", BALANCE < 0, "none", "in_credit"),
        Rule("§3.6", BALANCE == 0, "none", "clear"),
    ]


def step_7_open_court_case(x: Context) -> list[Rule]:
    """§3.7 Open court case: prepare for a hearing close at hand, wait, or record its outcome."""
    open_case = c("case_ref").is_not_null() & c("court_outcome").is_null()
    hearing = c("hearing_date")
    rules = []
    if x.policy.hearing_prep_days is not None:
        soon = (hearing >= x.d) & (-x.days_ago("hearing_date") <= x.policy.hearing_prep_days)
        rules.append(Rule("§3.7", open_case & soon & c("hearing_pack_date").is_null(),
                          "prepare_for_hearing", "hearing_soon"))
    return [
        *rules,
        Rule("§3.7", open_case & (hearing.is_null() | (hearing >= x.d)), "none",
             "awaiting_hearing", ("awaiting_hearing",)),
        Rule("§3.7", open_case, "update_court_outcome", "hearing_date_passed"),
    ]


def step_8_court_order(x: Context) -> list[Rule]:
    """§3.8 Court order: warrant, outright possession, orders monitored as agreements."""
    p = x.policy
    order = c("court_outcome")
    possession = c("possession_date")
    terms = c("terms_instalment").is_not_null()
    if p.ppo_needs_possession_date:
        # A postponed order with the possession date the court fixed is as good as outright;
        # without one it is monitored, and a breach means asking the court to fix the date.
        fixed = (order == "ppo") & possession.is_not_null()
        outright = (order == "outright") | fixed
        monitored = ((order == "spo") | ((order == "ppo") & possession.is_null())) & terms
    else:
        outright = order == "outright"
        monitored = order.is_in(["spo", "ppo"]) & terms
    adjourned = (order == "adjourned_on_terms") & terms
    breached = c("court_order_breached").fill_null(False)
    warrant = order.is_not_null() & (c("warrant_date") <= x.d) & c("eviction_date").is_null()
    waiting = ("none", "awaiting_eviction_date", ("awaiting_eviction_date",))
    if p.warrant_chase_days is None:
        warrant_rules = [Rule("§3.8", warrant, *waiting)]
    else:
        warrant_rules = [
            Rule("§3.8", warrant & (x.days_ago("warrant_date") <= p.warrant_chase_days),
                 *waiting),
            Rule("§3.8", warrant, "chase_eviction_date", "warrant_not_executed"),
        ]
    if p.order_breach_letter_valid_days is None:
        breach_rules = [
            Rule("§3.8", monitored & breached, "apply_for_warrant", "court_order_breached"),
        ]
    else:
        # Letters count from the order date (features) and for a limited time (here).
        sent = x.days_ago("order_breach_letter_date")
        valid = (sent <= p.order_breach_letter_valid_days).fill_null(False)
        breach = monitored & breached
        postponed = (order == "ppo") if p.ppo_needs_possession_date else pl.lit(False)
        breach_rules = [
            Rule("§3.8", breach & ~valid, "send_order_breach_letter", "court_order_breached"),
            Rule("§3.8", breach & (sent < p.order_breach_wait_days), "none",
                 "waiting_after_order_breach_letter", ("waiting_after_order_breach_letter",)),
            Rule("§3.8", breach & postponed, "apply_to_fix_possession_date",
                 "order_breach_letter_period_ended"),
            Rule("§3.8", breach, "apply_for_warrant", "order_breach_letter_period_ended"),
        ]
    return [
        *warrant_rules,
        Rule("§3.8", outright & (possession >= x.d), "none", "possession_date_pending",
             ("possession_date_pending",)),
        Rule("§3.8", outright & (possession < x.d) & (ARREARS > 0), "apply_for_warrant",
             "possession_date_passed"),
        *breach_rules,
        Rule("§3.8", monitored, "none", "court_order_kept", ("court_order_kept",)),
        Rule("§3.8", adjourned & breached, "restore_hearing", "court_order_terms_breached"),
        Rule("§3.8", adjourned, "none", "court_order_kept", ("court_order_kept",)),
    ]


def step_9_informal_agreement(x: Context) -> list[Rule]:
    """§3.9 Informal agreement: kept, breached (letter, wait) or no longer blocking."""
    live = c("agreement_start").is_not_null()
    breached = c("agreement_breached").fill_null(False)
    letter = c("breach_letter_date")
    return [
        Rule("§3.9", live & ~breached, "none", "agreement_kept", ("agreement_kept",)),
        Rule("§3.9", live & letter.is_null(), "review_breached_agreement", "agreement_breached"),
        Rule("§3.9", live & (x.days_ago("breach_letter_date") < x.policy.breach_letter_wait_days),
             "none", "waiting_after_breach_letter", ("waiting_after_breach_letter",)),
    ]


def step_10_promise(x: Context) -> list[Rule]:
    """§3.10 A promise to pay not yet paid holds the ladder until its grace days are over."""
    if x.policy.promise_grace_days is None:
        return []
    pending = c("promise_due_date").is_not_null() & (c("promise_paid") < c("promise_amount"))
    return [Rule("§3.10", pending, "none", "promise_pending", ("promise_pending",))]


# --- §5 the ladder (step 11) -----------------------------------------------------------------


def ladder_1_below_minimum(x: Context) -> list[Rule]:
    """§5.1 A < £5.00: technical arrears, up to date, or below threshold."""
    low = x.policy.minimum_arrears > A
    return [
        Rule("§5.1", low & (c("technical_arrears") > 0), "none", "technical_arrears",
             ("technical_arrears",)),
        Rule("§5.1", low & (ARREARS == 0), "none", "up_to_date"),
        Rule("§5.1", low, "none", "below_threshold"),
    ]


def ladder_2_reducing(x: Context) -> list[Rule]:
    """§5.2 Reducing arrears: no escalation."""
    return [Rule("§5.2", c("reducing"), "none", "arrears_reducing", ("arrears_reducing",))]


def ladder_3_valid_notice(x: Context) -> list[Rule]:
    """§5.3 A valid notice: wait, court warning, benefit claim, checklist, court."""
    p = x.policy
    valid = c("notice_valid")
    court = valid & (p.court_threshold_weeks * W <= A)
    warning = c("court_warning_date")
    ends = [
        Rule("§5.3", court & c("tenure").is_in(list(p.end_tenancy_tenures)),
             "end_garage_tenancy", "garage_notice_run"),
    ] if p.end_tenancy_tenures else []
    apa = [
        Rule("§5.3", court & c("uc_to_tenant") & (p.apa_threshold_weeks * W <= A)
             & c("apa_requested_date").is_null(), "request_apa", "uc_apa_threshold_reached"),
    ] if p.apa_before_court else []
    return [
        Rule("§5.3", valid & (x.d < c("notice_earliest_proceedings_date")), "none",
             "notice_period_running", ("notice_period_running",)),
        *ends,
        Rule("§5.3", court & warning.is_null(), "send_court_warning", "court_warning_due"),
        Rule("§5.3", court & (x.days_ago("court_warning_date") < p.court_warning_wait_days),
             "none", "court_warning_period_running", ("court_warning_period_running",)),
        Rule("§5.3", court & c("benefit_claim_pending"), "chase_benefit_claim",
             "benefit_claim_pending", ("benefit_claim_pending",)),
        *apa,
        Rule("§5.3", court & c("pre_action_checklist_date").is_null(),
             "complete_pre_action_checklist", "pre_action_checklist_incomplete",
             ("pre_action_checklist_incomplete",)),
        Rule("§5.3", court, "apply_for_court", "pre_action_steps_complete"),
        # A < 4 × W: on to the letter steps, which never serve a notice while this one is valid.
    ]


def ladder_4_letter_steps(x: Context) -> list[Rule]:
    """§5.4 Letter steps of the current episode: reminder, letters, contact, notice."""
    p = x.policy
    letter_1 = c("letter_1_date").is_not_null()
    letter_2 = c("letter_2_date").is_not_null()
    contact_done = c("contact_made_date").is_not_null() | (
        c("contact_attempt_days") >= p.contact_attempt_days
    )
    step_0 = ~letter_1 & ~letter_2
    step_1 = letter_1 & ~letter_2
    step_2 = letter_2 & ~contact_done
    step_3 = letter_2 & contact_done
    reminder_due = c("reminder_date").is_null() | (
        x.days_ago("reminder_date") >= p.reminder_interval_days
    )
    return [
        Rule("§5.4", step_0 & (p.letter_1_threshold <= A), "send_letter_1",
             "arrears_at_letter_1_threshold"),
        Rule("§5.4", step_0 & reminder_due, "send_reminder", "small_arrears_reminder_due"),
        Rule("§5.4", step_0, "none", "waiting_after_reminder", ("waiting_after_reminder",)),
        Rule("§5.4", step_1 & (x.days_ago("letter_1_date") >= p.letter_1_wait_days)
             & (p.letter_2_threshold <= A), "send_letter_2", "letter_1_period_ended"),
        Rule("§5.4", step_1, "none", "waiting_after_letter_1", ("waiting_after_letter_1",)),
        Rule("§5.4", step_2 & (x.days_ago("letter_2_date") >= p.letter_2_wait_days),
             "contact_tenant", "letter_2_period_ended"),
        Rule("§5.4", step_2, "none", "waiting_after_letter_2", ("waiting_after_letter_2",)),
        Rule("§5.4", step_3 & (p.notice_threshold_weeks * W > A), "none",
             "below_notice_threshold"),
        Rule("§5.4", step_3 & c("benefit_claim_pending"), "chase_benefit_claim",
             "benefit_claim_pending", ("benefit_claim_pending",)),
        Rule("§5.4", step_3 & c("uc_to_tenant") & (p.apa_threshold_weeks * W <= A)
             & c("apa_requested_date").is_null(), "request_apa", "uc_apa_threshold_reached"),
        Rule("§5.4", step_3 & c("notice_valid"), "none", "valid_notice_in_force",
             ("valid_notice_in_force",)),
        Rule("§5.4", pl.lit(True), "serve_notice", "notice_threshold_reached"),
    ]


# The policy, in the order POLICY.md gives it.
POLICY_ORDER: tuple[Callable[[Context], list[Rule]], ...] = (
    step_1_breathing_space,
    step_2_former_tenancy,
    step_3_eviction,
    step_4_officer_pause,
    step_5_data_problem,
    step_6_not_in_arrears,
    step_7_open_court_case,
    step_8_court_order,
    step_9_informal_agreement,
    step_10_promise,
    ladder_1_below_minimum,
    ladder_2_reducing,
    ladder_3_valid_notice,
    ladder_4_letter_steps,
)


def rules(policy: PolicyParams, as_of: datetime.date) -> list[Rule]:
    """Every rule of the policy, in evaluation order."""
    x = Context(policy, as_of)
    return [rule for section in POLICY_ORDER for rule in section(x)]


def _as_list(value: str | pl.Expr) -> pl.Expr:
    if isinstance(value, str):
        return pl.concat_list([pl.lit(value, dtype=pl.String)])
    return value


def decide(frame: pl.DataFrame, policy: PolicyParams, as_of: datetime.date) -> pl.DataFrame:
    """Add rule, policy_section, action, reasons, blocked_by and notice_kind (first match)."""
    all_rules = rules(policy, as_of)
    index = pl.when(all_rules[0].when.fill_null(False)).then(0)
    for i, rule in enumerate(all_rules[1:], start=1):
        index = index.when(rule.when.fill_null(False)).then(i)
    frame = frame.with_columns(rule=index.cast(pl.Int32))

    def per_rule(values: list, dtype: pl.DataType) -> pl.Expr:
        return pl.lit(pl.Series(values, dtype=dtype)).gather(c("rule"))

    deciding = pl.when(False).then(pl.lit(None, dtype=pl.List(pl.String)))
    for i, rule in enumerate(all_rules):
        deciding = deciding.when(c("rule") == i).then(_as_list(rule.reason))
    frame = frame.with_columns(
        action=per_rule([r.action for r in all_rules], pl.String()),
        policy_section=per_rule([r.section for r in all_rules], pl.String()),
        deciding=deciding.otherwise(None),
        rule_supporting=per_rule([list(r.supporting) for r in all_rules], pl.List(pl.String)),
        blocked_by=per_rule([list(r.blocked_by) for r in all_rules], pl.List(pl.String)),
    )
    tenure_kind = {t: rule["notice_kind"] for t, rule in policy.notice_by_tenure.items()}
    return frame.with_columns(
        reasons=pl.concat_list(["deciding", "rule_supporting", supporting_reasons()])
        .list.unique(maintain_order=True),
        notice_kind=pl.when(c("action") == "serve_notice").then(
            c("tenure").replace_strict(tenure_kind, default=None, return_dtype=pl.String)
        ),
    ).drop("deciding", "rule_supporting")


def _supporting_conditions() -> list[tuple[str, pl.Expr]]:
    acting = ~c("action").is_in(["none", "paused"])
    ladder = c("policy_section").str.starts_with("§5")
    return [
        ("technical_arrears_present", c("technical_arrears") > 0),
        # The tenant broke an agreement and the breach letter's wait is over: ladder resumed.
        ("agreement_breached", ladder & c("agreement_breached")),
        ("valid_notice_in_force", (c("policy_section") == "§5.4") & c("notice_valid")),
        ("vulnerable", acting & c("vulnerable")),
    ]


def supporting_reasons() -> pl.Expr:
    """Codes that explain the context of any decision, after the deciding one."""
    return pl.concat_list(
        [
            pl.when(cond.fill_null(False)).then(pl.lit(code))
            for code, cond in _supporting_conditions()
        ]
    ).list.drop_nulls()


def emitted_codes(policy: PolicyParams, pause_reasons: tuple[str, ...] = ()) -> frozenset[str]:
    """Every reason and blocked-by code the engine can emit (pause reasons given apart)."""
    x = Context(policy, datetime.date(2000, 1, 1))
    codes: set[str] = set(pause_reasons)
    for rule in rules(policy, x.as_of):
        if isinstance(rule.reason, str):
            codes.add(rule.reason)
        codes.update(rule.blocked_by, rule.supporting)
    codes.update(code for code, _ in data_problems(x))
    codes.update(code for code, _ in _supporting_conditions())
    return frozenset(codes)
