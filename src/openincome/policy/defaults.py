"""The default policy (POLICY.md version 2 exactly), version 1, and the Renters' Rights Act
variant for social homes.

`DEFAULT_POLICY` is what every landlord starts from and what the acceptance scenarios check.
`POLICY_V1` behaves exactly as version 1 of POLICY.md did (its §9 lists the differences), so
a landlord can keep it as a dated version.
`RENTERS_RIGHTS_SOCIAL` is the same policy with the Renters' Rights Act 2025 notice rules for
social assured tenancies; its start date is not yet set, so a landlord switches it on by
adding a dated policy version, not by changing code.
"""

from __future__ import annotations

from typing import Any

from openincome.policy.params import PolicyParams


def _notice(kind: str, epd: dict[str, Any], expiry: dict[str, Any]) -> dict[str, Any]:
    return {"notice_kind": kind, "earliest_proceedings": epd, "expiry": expiry}


# §6: "the first last-day-of-a-rent-period on or after service + 28 days".
_END_OF_PERIOD_28 = {"rule": "end_of_rent_period_after", "days": 28}
# §6: section 8 (social Form 3 regime): "14 days after service".
_SECTION_8_14 = {"rule": "days_after_service", "days": 14}
# Renters' Rights Act: 4 weeks' notice.
_SECTION_8_28 = {"rule": "days_after_service", "days": 28}
_EXPIRES_12M_AFTER_EPD = {"months": 12, "from": "earliest_proceedings"}
_EXPIRES_12M_AFTER_SERVICE = {"months": 12, "from": "service"}


def _dates(kind_rules: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Kind -> date rules, taken from the tenure table (one rule per kind)."""
    out: dict[str, dict[str, Any]] = {}
    for rule in kind_rules.values():
        out[rule["notice_kind"]] = {
            "earliest_proceedings": dict(rule["earliest_proceedings"]),
            "expiry": dict(rule["expiry"]),
        }
    return out


_NOSP = _notice("nosp_secure", _END_OF_PERIOD_28, _EXPIRES_12M_AFTER_EPD)
_INTRO = _notice("intro_s128", _END_OF_PERIOD_28, _EXPIRES_12M_AFTER_EPD)
_S8 = _notice("section_8", _SECTION_8_14, _EXPIRES_12M_AFTER_SERVICE)
_NTQ = _notice("notice_to_quit", _END_OF_PERIOD_28, _EXPIRES_12M_AFTER_SERVICE)

_NOTICE_BY_TENURE = {
    "secure": _NOSP,
    "flexible": _NOSP,
    "introductory": _INTRO,
    "assured": _S8,
    "starter": _S8,
    "licence": _NTQ,
    "non_secure": _NTQ,
    "garage": _NTQ,
}

DEFAULT_POLICY = PolicyParams(
    name="default",
    description="POLICY.md version 2: the default arrears recovery policy (the ladder).",
    # §1
    charge_debit_types=(
        "rent",
        "service",
        "water",
        "heating",
        "support",
        "garage",
        "other_charge",
    ),
    payment_types=(
        "payment_dd",
        "payment_card",
        "payment_cash",
        "payment_bank",
        "payment_allpay",
        "payment_other",
        "hb",
        "uc_direct",
        "tpd",
        "dhp",
    ),
    hb_payment_type="hb",
    rent_charge_code="rent",
    default_rent_frequency="weekly",
    weekly_equivalents={
        "weekly": (1, 1),
        "fortnightly": (1, 2),
        "four_weekly": (1, 4),
        "monthly": (12, 52),
    },
    rent_period_days={"weekly": 7, "fortnightly": 14, "four_weekly": 28},
    reducing_window_days=28,
    # £20.00: the current charge plus about £5 a week, the protocol's "reasonable amount".
    reducing_min_reduction=2_000,
    trial_months=12,
    trial_conversions={"introductory": "secure", "starter": "assured"},
    # §2
    benefit_cycle_days={"weekly": 7, "fortnightly": 14, "four_weekly": 28, "monthly": 31},
    hb_default_frequency="four_weekly",
    hb_cycle_extra_days=7,
    uc_payment_window_days=38,
    uc_default_allowance_ratio=(52, 12),
    # §3
    breathing_space_standard_reason="breathing_space_standard",
    breathing_space_mental_health_reason="breathing_space_mental_health",
    breathing_space_standard_days=59,
    breathing_space_review_weeks=2,
    breach_letter_wait_days=7,
    hearing_prep_days=10,
    order_breach_letter_valid_days=56,
    order_breach_wait_days=14,
    ppo_needs_possession_date=True,
    warrant_chase_days=90,
    promise_grace_days=2,
    # §4
    agreement_tolerance_days=5,
    agreement_period_days={"weekly": 7, "fortnightly": 14, "four_weekly": 28},
    court_terms_default_frequency="weekly",
    breach_compares="actionable_arrears",
    # Affordability (the presets derived from this one keep these): at least £5.00 a week,
    # cleared within two years where possible, half of disposable income at most.
    affordability_min_weekly_instalment=500,
    affordability_max_term_weeks=104,
    affordability_income_share_percent=50,
    # Benefits: chase an APA or deduction after 6 weeks; a UC first payment comes about five
    # weeks after the claim; a new claim is followed for its first year.
    benefit_request_chase_weeks=6,
    uc_first_payment_days=35,
    uc_first_year_days=365,
    # §5
    minimum_arrears=500,
    letter_1_threshold=1000,
    letter_2_threshold=1000,
    reminder_interval_days=7,
    letter_1_wait_days=14,
    letter_2_wait_days=7,
    contact_attempt_days=3,
    notice_threshold_weeks=4,
    court_threshold_weeks=4,
    court_warning_wait_days=14,
    apa_threshold_weeks=8,
    apa_before_court=True,
    end_tenancy_tenures=("garage",),
    # §6
    notice_by_tenure=_NOTICE_BY_TENURE,
    notice_dates_by_kind=_dates(_NOTICE_BY_TENURE),
    # Pre-RRA ground 8: 8 weeks' (weekly/fortnightly rent) or 2 months' (monthly) arrears.
    ground_8_threshold_weeks=8,
    ground_8_threshold_months=2,
    section_8_regime="social_form_3",
    # §6 serving notices: by hand or left at the property, that day; by first-class post, the
    # second business day after posting.
    notice_service_business_days={"hand": 0, "left": 0, "post": 2},
    # §7: the version 1 weights add up to 100, so a row with every factor at its cap scores
    # 100; version 2's two court-stage weights rarely meet them and the score is capped at 100.
    priority_hearing_window_days=10,
    priority_notice_expiry_window_days=28,
    priority_weights={
        "base": 10,
        "weeks_owed": 40,
        "weeks_owed_cap": 13,
        "days_since_payment": 20,
        "days_since_payment_cap": 91,
        "hearing_soon": 15,
        "notice_expiring": 15,
        # Vulnerability adds a flag and a support prompt, not priority (§7); never negative.
        "vulnerable": 0,
        "hearing_closeness": 5,
        "order_breach": 15,
    },
    # Automatic sends are off in a new landlord: officers send every communication.
    auto_send={},
    # Direct Debit: the Bacs scheme's default advance notice, unless the sponsoring bank agreed
    # another period and the Guarantee states it.
    dd_advance_notice_working_days=10,
    # Legal steps: a team leader approves notices and claims up to £5,000 of arrears and
    # warrants up to £2,500 (an eviction is the gravest step); a manager approves any.
    legal_approval_limits={
        "team_leader": {"serve_notice": 500_000, "apply_for_court": 500_000,
                        "apply_for_warrant": 250_000},
        "manager": {"serve_notice": None, "apply_for_court": None, "apply_for_warrant": None},
    },
    pre_action_checklist_valid_days=90,
    proportionality_valid_days=28,
    legal_approval_valid_days=28,
    # s125A: one extension of 6 months, by a notice at least 8 weeks before the trial ends.
    trial_extension_months=6,
    trial_extension_notice_weeks=8,
)

POLICY_V1 = DEFAULT_POLICY.replace(
    name="v1",
    description="POLICY.md version 1, kept as a preset (POLICY.md §9 lists what changed).",
    reducing_min_reduction=100,
    trial_conversions={},
    hearing_prep_days=None,
    order_breach_letter_valid_days=None,
    ppo_needs_possession_date=False,
    warrant_chase_days=None,
    promise_grace_days=None,
    breach_compares="arrears",
    apa_before_court=False,
    end_tenancy_tenures=(),
    priority_weights={**DEFAULT_POLICY.priority_weights, "hearing_closeness": 0,
                      "order_breach": 0},
)

_S8_RRA = _notice("section_8", _SECTION_8_28, _EXPIRES_12M_AFTER_SERVICE)

RENTERS_RIGHTS_SOCIAL = DEFAULT_POLICY.replace(
    name="renters_rights_social",
    description=(
        "Renters' Rights Act 2025 regime for social assured tenancies: section 8 notices "
        "give 4 weeks (proceedings from 28 days after service); ground 8 needs 13 weeks' "
        "or 3 months' arrears. Start date not yet set: add it as a dated policy version."
    ),
    notice_by_tenure={**_NOTICE_BY_TENURE, "assured": _S8_RRA, "starter": _S8_RRA},
    notice_dates_by_kind=_dates({**_NOTICE_BY_TENURE, "assured": _S8_RRA, "starter": _S8_RRA}),
    ground_8_threshold_weeks=13,
    ground_8_threshold_months=3,
    section_8_regime="renters_rights",
)
