"""PolicyParams: POLICY.md as data, JSON-safe, validated, and what the engine reads."""

from __future__ import annotations

import ast
import dataclasses
import json
from pathlib import Path

import pytest
from engine_scenarios import T, ago

import openincome.engine
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL
from openincome.policy.params import PolicyParams

ENGINE = Path(openincome.engine.__file__).parent


@pytest.mark.parametrize("policy", [DEFAULT_POLICY, RENTERS_RIGHTS_SOCIAL], ids=lambda p: p.name)
def test_round_trips_through_json(policy):
    stored = json.loads(json.dumps(policy.to_dict()))
    assert PolicyParams.from_dict(stored) == policy


def test_from_dict_rejects_unknown_and_missing_keys_and_can_fill_from_defaults():
    data = DEFAULT_POLICY.to_dict()
    with pytest.raises(ValueError, match="unknown policy parameters: typo"):
        PolicyParams.from_dict({**data, "typo": 1})
    partial = {"letter_1_threshold": 2_000}
    with pytest.raises(ValueError, match="missing policy parameters"):
        PolicyParams.from_dict(partial)
    filled = PolicyParams.from_dict(partial, fill_from=DEFAULT_POLICY)
    assert filled.letter_1_threshold == 2_000
    assert filled.replace(letter_1_threshold=1_000) == DEFAULT_POLICY


@pytest.mark.parametrize(
    "change",
    [
        {"minimum_arrears": -1},
        {"letter_1_wait_days": "14"},
        {"priority_weights": {**DEFAULT_POLICY.to_dict()["priority_weights"], "vulnerable": -5}},
        {"notice_by_tenure": {"secure": {"notice_kind": "nosp_secure"}}},
        {"notice_dates_by_kind": {"x": {"earliest_proceedings": {"rule": "soon", "days": 1},
                                        "expiry": {"months": 12, "from": "service"}}}},
        {"weekly_equivalents": {"weekly": [1, 0]}},
    ],
)
def test_invalid_parameters_are_refused(change):
    with pytest.raises(ValueError):
        DEFAULT_POLICY.replace(**change)


def test_is_immutable():
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_POLICY.minimum_arrears = 1  # type: ignore[misc]
    with pytest.raises(TypeError):
        DEFAULT_POLICY.notice_by_tenure["secure"] = {}  # type: ignore[index]
    assert hash(DEFAULT_POLICY) == hash(PolicyParams.from_dict(DEFAULT_POLICY.to_dict()))


def test_defaults_are_policy_md():
    p = DEFAULT_POLICY
    assert (p.minimum_arrears, p.letter_1_threshold, p.letter_2_threshold) == (500, 1_000, 1_000)
    assert (p.reminder_interval_days, p.letter_1_wait_days, p.letter_2_wait_days) == (7, 14, 7)
    assert (p.contact_attempt_days, p.notice_threshold_weeks, p.court_threshold_weeks) == (3, 4, 4)
    assert (p.court_warning_wait_days, p.apa_threshold_weeks) == (14, 8)
    assert (p.reducing_window_days, p.reducing_min_reduction) == (28, 2_000)
    assert (p.trial_months, dict(p.trial_conversions)) == (
        12, {"introductory": "secure", "starter": "assured"})
    assert (p.hearing_prep_days, p.order_breach_wait_days, p.order_breach_letter_valid_days) == (
        10, 14, 56)
    assert (p.warrant_chase_days, p.promise_grace_days) == (90, 2)
    assert (p.breach_compares, p.apa_before_court, p.ppo_needs_possession_date) == (
        "actionable_arrears", True, True)
    assert p.end_tenancy_tenures == ("garage",)
    assert (p.uc_payment_window_days, p.hb_cycle_extra_days, p.hb_default_frequency) == (
        38, 7, "four_weekly")
    assert dict(p.benefit_cycle_days) == {
        "weekly": 7, "fortnightly": 14, "four_weekly": 28, "monthly": 31}
    assert (p.agreement_tolerance_days, p.breathing_space_standard_days) == (5, 59)
    assert (p.breathing_space_review_weeks, p.breach_letter_wait_days) == (2, 7)
    assert (p.priority_hearing_window_days, p.priority_notice_expiry_window_days) == (10, 28)
    assert p.to_dict()["weekly_equivalents"] == {
        "weekly": [1, 1], "fortnightly": [1, 2], "four_weekly": [1, 4], "monthly": [12, 52]}
    kinds = {t: r["notice_kind"] for t, r in p.notice_by_tenure.items()}
    assert kinds == {
        "secure": "nosp_secure", "flexible": "nosp_secure", "introductory": "intro_s128",
        "assured": "section_8", "starter": "section_8", "licence": "notice_to_quit",
        "non_secure": "notice_to_quit", "garage": "notice_to_quit"}
    dates = p.to_dict()["notice_dates_by_kind"]
    assert dates["nosp_secure"] == dates["intro_s128"] == {
        "earliest_proceedings": {"rule": "end_of_rent_period_after", "days": 28},
        "expiry": {"months": 12, "from": "earliest_proceedings"}}
    assert dates["section_8"] == {
        "earliest_proceedings": {"rule": "days_after_service", "days": 14},
        "expiry": {"months": 12, "from": "service"}}
    assert dates["notice_to_quit"]["expiry"] == {"months": 12, "from": "service"}
    # Version 1's weights add up to 100; version 2 adds two court-stage weights (capped at 100).
    v1 = {k: v for k, v in p.priority_weights.items() if k not in ("hearing_closeness",
                                                                   "order_breach")}
    assert sum(v for k, v in v1.items() if not k.endswith("_cap")) == 100
    assert (p.priority_weights["hearing_closeness"], p.priority_weights["order_breach"]) == (5, 15)


def test_the_v1_preset_differs_from_version_2_only_where_policy_md_section_9_says():
    v1, v2 = POLICY_V1.to_dict(), DEFAULT_POLICY.to_dict()
    changed = {k for k in v2 if v1[k] != v2[k]}
    assert changed == {
        "name", "description", "reducing_min_reduction", "trial_conversions",
        "hearing_prep_days", "order_breach_letter_valid_days", "ppo_needs_possession_date",
        "warrant_chase_days", "promise_grace_days", "breach_compares", "apa_before_court",
        "end_tenancy_tenures", "priority_weights",
    }
    assert v1["reducing_min_reduction"] == 100 and v1["trial_conversions"] == {}
    assert v1["breach_compares"] == "arrears" and v1["end_tenancy_tenures"] == []
    assert sum(v for k, v in v1["priority_weights"].items() if not k.endswith("_cap")) == 100


@pytest.mark.parametrize("bad", [
    {"breach_compares": "balance"}, {"hearing_prep_days": -1}, {"apa_before_court": 1},
    {"warrant_chase_days": "90"}, {"trial_conversions": {"introductory": 3}},
])
def test_version_2_parameters_are_validated(bad):
    with pytest.raises(ValueError):
        DEFAULT_POLICY.replace(**bad)


def test_renters_rights_variant_changes_only_the_notice_rules():
    default, rra = DEFAULT_POLICY.to_dict(), RENTERS_RIGHTS_SOCIAL.to_dict()
    changed = {k for k in default if default[k] != rra[k]}
    assert changed == {"name", "description", "notice_by_tenure", "notice_dates_by_kind",
                       "ground_8_threshold_weeks", "ground_8_threshold_months",
                       "section_8_regime"}
    assert rra["notice_by_tenure"]["assured"]["earliest_proceedings"] == {
        "rule": "days_after_service", "days": 28}
    assert rra["notice_by_tenure"]["starter"]["notice_kind"] == "section_8"
    assert (rra["ground_8_threshold_weeks"], rra["ground_8_threshold_months"]) == (13, 3)


def test_the_engine_reads_its_numbers_from_the_policy():
    """Changing a parameter changes the decision: nothing is hard-coded."""
    t = lambda: T().rent(10_000).owes(1_000, ago(30))  # noqa: E731
    assert t().row()["action"] == "send_letter_1"
    assert t().row(policy=DEFAULT_POLICY.replace(letter_1_threshold=1_001))["action"] == (
        "send_reminder")
    assert t().row(policy=DEFAULT_POLICY.replace(minimum_arrears=1_001))["reasons"] == [
        "below_threshold"]
    late = T().rent(10_000).owes(1_000, ago(30)).action("letter_1_sent", ago(14))
    assert late.row()["action"] == "send_letter_2"
    assert late.row(policy=DEFAULT_POLICY.replace(letter_1_wait_days=15))["action"] == "none"


# Numbers of POLICY.md that are not also facts of the calendar or of arithmetic.
POLICY_NUMBERS = {3, 4, 5, 8, 10, 13, 14, 28, 31, 38, 52, 56, 59, 90, 91, 500, 1000}


def test_no_policy_number_is_written_into_the_engine():
    found = []
    for path in sorted(ENGINE.glob("*.py")):
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.Lambda):
                continue
            for node in ast.walk(func):
                if isinstance(node, ast.Constant) and type(node.value) in (int, float):
                    value = node.value
                    # 7 days a week and 12 months a year belong to the calendar helpers only.
                    calendar = value in (7, 12) and path.name == "dates.py"
                    if value in POLICY_NUMBERS | {7, 12} and not calendar:
                        found.append(f"{path.name}:{node.lineno}: {value}")
    assert not found
