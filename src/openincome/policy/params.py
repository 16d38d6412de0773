"""The parameters of the arrears policy (POLICY.md) as one immutable, JSON-safe value.

Every number and period of POLICY.md lives here, so that a landlord can edit it and a dated
policy version can change it; the engine reads them from a `PolicyParams` and has no policy
literal of its own. Pure Python: the Django models in `policy/models.py` store `to_dict()`.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# Notice-date rules understood by the engine (POLICY.md §6).
EPD_RULES = ("end_of_rent_period_after", "days_after_service")
EXPIRY_FROM = ("earliest_proceedings", "service")
PRIORITY_WEIGHT_KEYS = (
    "base",
    "weeks_owed",
    "weeks_owed_cap",
    "days_since_payment",
    "days_since_payment_cap",
    "hearing_soon",
    "notice_expiring",
    "vulnerable",
    # Version 2: a hearing scores more the closer it is; a broken court order outranks the
    # early ladder.
    "hearing_closeness",
    "order_breach",
)
# What §4 compares with the expected balance: version 1 the arrears, version 2 the
# actionable arrears (a benefit payment on its way is not a broken promise).
BREACH_COMPARES = ("arrears", "actionable_arrears")
# How a notice can be served (issue 16): by hand, by first-class post, left at the property.
SERVICE_METHODS = ("hand", "post", "left")
# The legal escalations that need a proportionality assessment and an approval (issue 16).
LEGAL_ESCALATIONS = ("serve_notice", "apply_for_court", "apply_for_warrant")
# The section 8 regime a notice is written under (reference §0, §2.2): the social housing
# Form 3 of the Housing Act 1988 as it stood before the Renters' Rights Act 2025, or that Act's
# Form 3A rules once commenced for social homes.
SECTION_8_REGIMES = ("social_form_3", "renters_rights")


def _freeze(value: Any) -> Any:
    """Deep-convert dicts to read-only mappings and lists to tuples."""
    if isinstance(value, Mapping):
        return types.MappingProxyType({str(k): _freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_freeze(v) for v in value)
    return value


def _thaw(value: Any) -> Any:
    """Deep-convert read-only mappings and tuples back to JSON-safe dicts and lists."""
    if isinstance(value, Mapping):
        return {k: _thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class PolicyParams:
    """Every number, period and rule of POLICY.md, as data (amounts in pence, periods in days)."""

    name: str
    description: str

    # §1 quantities
    charge_debit_types: tuple[str, ...]
    payment_types: tuple[str, ...]
    hb_payment_type: str
    rent_charge_code: str
    default_rent_frequency: str
    # frequency -> (numerator, denominator) of the weekly equivalent; monthly is 12/52.
    weekly_equivalents: Mapping[str, tuple[int, int]]
    # Length of a rent period in days; frequencies absent here are calendar months.
    rent_period_days: Mapping[str, int]
    reducing_window_days: int
    reducing_min_reduction: int
    # Tenure at D: a trial tenure becomes its settled tenure from its trial end date (or
    # start + trial_months); an empty mapping keeps trial tenures for ever (version 1).
    trial_months: int
    trial_conversions: Mapping[str, str]

    # §2 technical arrears
    benefit_cycle_days: Mapping[str, int]
    hb_default_frequency: str
    hb_cycle_extra_days: int
    uc_payment_window_days: int
    # UC allowance when none is given: W × numerator ÷ denominator (a month of rent).
    uc_default_allowance_ratio: tuple[int, int]

    # §3 order of evaluation
    breathing_space_standard_reason: str
    breathing_space_mental_health_reason: str
    breathing_space_standard_days: int
    breathing_space_review_weeks: int
    breach_letter_wait_days: int
    # §3.7: prompt to prepare within this many days of a hearing (None: never, version 1).
    hearing_prep_days: int | None
    # §3.8: a breached order gets a warning letter first, valid this many days, then a wait
    # (None: straight to a warrant, version 1).
    order_breach_letter_valid_days: int | None
    order_breach_wait_days: int
    # §3.8: a postponed order needs the court to fix a possession date before a warrant, and
    # one with a fixed date is treated as outright (False: as a suspended order, version 1).
    ppo_needs_possession_date: bool
    # §3.8: chase the eviction date this many days after a warrant (None: wait for ever).
    warrant_chase_days: int | None
    # §3.10: a promise to pay holds the ladder until this many days after it is due (None:
    # promises are not read, version 1).
    promise_grace_days: int | None

    # §4 agreement and court-order breach check
    agreement_tolerance_days: int
    agreement_period_days: Mapping[str, int]
    court_terms_default_frequency: str
    breach_compares: str
    # Affordability of a new agreement (issue 14; not read by the engine): the least weekly
    # instalment proposed (pence), the longest term in weeks a plan may run without an
    # officer's reason, and the percentage of disposable income offered towards the arrears.
    affordability_min_weekly_instalment: int
    affordability_max_term_weeks: int
    affordability_income_share_percent: int
    # Benefits work (issue 18; not read by the engine): chase a managed payment (APA) or
    # third-party deduction asked of DWP this many weeks ago and not yet paid; a new UC
    # claim's first payment is expected this many days after the claim (one assessment
    # period and the seven days to pay), and it is followed for this many days.
    benefit_request_chase_weeks: int
    uc_first_payment_days: int
    uc_first_year_days: int

    # §5 ladder
    minimum_arrears: int
    letter_1_threshold: int
    letter_2_threshold: int
    reminder_interval_days: int
    letter_1_wait_days: int
    letter_2_wait_days: int
    contact_attempt_days: int
    notice_threshold_weeks: int
    court_threshold_weeks: int
    court_warning_wait_days: int
    apa_threshold_weeks: int
    # §5.3: with a valid notice, ask for an APA before the checklist and court (version 2).
    apa_before_court: bool
    # §5.3: tenures whose valid notice, once run, ends the tenancy instead of a court claim.
    end_tenancy_tenures: tuple[str, ...]

    # §6 notices: tenure -> {notice_kind, earliest_proceedings, expiry} for notices the
    # system produces; kind -> {earliest_proceedings, expiry} to fill an imported notice's
    # missing dates.
    notice_by_tenure: Mapping[str, Mapping[str, Any]]
    notice_dates_by_kind: Mapping[str, Mapping[str, Any]]
    # Ground 8 (mandatory rent-arrears ground) threshold; not used by the ladder, quoted in
    # the section 8 notice's grounds.
    ground_8_threshold_weeks: int
    ground_8_threshold_months: int
    # Which section 8 regime the notice's form and wording follow (SECTION_8_REGIMES).
    section_8_regime: str

    # §6 serving notices (issue 16): method -> business days from serving to deemed service
    # (0: the day it is served; 2: the second business day after posting). Tenancy agreements
    # differ, so each is policy; business days skip weekends and England and Wales bank
    # holidays.
    notice_service_business_days: Mapping[str, int]

    # §7 priority
    priority_hearing_window_days: int
    priority_notice_expiry_window_days: int
    priority_weights: Mapping[str, int]

    # Automatic sending (issue 15; read by the letters app after the nightly run, not by the
    # engine): engine action (send_reminder ...) -> the patches whose cases get that
    # communication sent without an officer, "*" for every patch. Empty: officers send all.
    auto_send: Mapping[str, tuple[str, ...]]
    # Direct Debit (issue 17): working days' advance notice a payer gets before a first
    # collection or a change of amount, day or frequency (the Bacs default is 10).
    dd_advance_notice_working_days: int
    # Legal steps (issue 16): delegated authority, role -> escalation -> the most arrears
    # (pence) that role may approve, null for no limit; a role or escalation absent may not
    # approve. How long a completed pre-action checklist, a proportionality assessment and an
    # approval stay good for the step they were made for.
    legal_approval_limits: Mapping[str, Mapping[str, int | None]]
    pre_action_checklist_valid_days: int
    proportionality_valid_days: int
    legal_approval_valid_days: int
    # Introductory tenancies (issue 16, s125A Housing Act 1996): a trial may be extended once
    # by this many months, by a notice served at least this many weeks before it would end.
    trial_extension_months: int
    trial_extension_notice_weeks: int

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, _freeze(getattr(self, f.name)))
        self._validate()

    def __hash__(self) -> int:
        return hash(repr(self.to_dict()))

    # --- conversion -------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-safe dict (str, int, list, dict only) of every parameter."""
        return {f.name: _thaw(getattr(self, f.name)) for f in dataclasses.fields(self)}

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], fill_from: PolicyParams | None = None
    ) -> PolicyParams:
        """Build from `to_dict()` output; missing keys come from `fill_from` when given."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - names)
        if unknown:
            raise ValueError(f"unknown policy parameters: {', '.join(unknown)}")
        values = dict(fill_from.to_dict()) if fill_from is not None else {}
        values.update(data)
        missing = sorted(names - set(values))
        if missing:
            raise ValueError(f"missing policy parameters: {', '.join(missing)}")
        return cls(**values)

    def replace(self, **changes: Any) -> PolicyParams:
        """Return a copy with some parameters changed (validated)."""
        return dataclasses.replace(self, **changes)

    # --- helpers the engine uses ----------------------------------------------------------
    def notice_kind_for_tenure(self, tenure: str) -> str | None:
        """Return the notice kind this policy serves for a tenure (§6), or None."""
        rule = self.notice_by_tenure.get(tenure)
        return None if rule is None else rule["notice_kind"]

    # --- validation -------------------------------------------------------------------
    def _validate(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if hints[f.name] is int and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                raise ValueError(f"{f.name} must be a whole number ≥ 0, got {value!r}")
            if hints[f.name] is str and not isinstance(value, str):
                raise ValueError(f"{f.name} must be a string, got {value!r}")
            if hints[f.name] is bool and not isinstance(value, bool):
                raise ValueError(f"{f.name} must be true or false, got {value!r}")
            if hints[f.name] == int | None and value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                raise ValueError(f"{f.name} must be a whole number ≥ 0 or null, got {value!r}")
        if not 0 < self.affordability_income_share_percent <= 100:
            raise ValueError("affordability_income_share_percent must be from 1 to 100")
        if self.affordability_max_term_weeks <= 0:
            raise ValueError("affordability_max_term_weeks must be more than 0")
        for name in ("benefit_request_chase_weeks", "uc_first_payment_days",
                     "uc_first_year_days"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be more than 0")
        if self.breach_compares not in BREACH_COMPARES:
            raise ValueError(f"breach_compares must be one of {BREACH_COMPARES}")
        for trial, settled in self.trial_conversions.items():
            if not isinstance(settled, str) or not isinstance(trial, str):
                raise ValueError("trial_conversions must map a tenure to a tenure")
        for freq, pair in self.weekly_equivalents.items():
            if len(pair) != 2 or not all(isinstance(v, int) for v in pair) or pair[1] <= 0:
                raise ValueError(f"weekly_equivalents[{freq}] must be [numerator, denominator]")
        for mapping_name in ("rent_period_days", "benefit_cycle_days", "agreement_period_days"):
            for freq, days in getattr(self, mapping_name).items():
                if not isinstance(days, int) or days <= 0:
                    raise ValueError(f"{mapping_name}[{freq}] must be a whole number > 0")
        ratio = self.uc_default_allowance_ratio
        if len(ratio) != 2 or ratio[1] <= 0:
            raise ValueError("uc_default_allowance_ratio must be [numerator, denominator > 0]")
        for tenure, rule in self.notice_by_tenure.items():
            if "notice_kind" not in rule:
                raise ValueError(f"notice_by_tenure[{tenure}] needs a notice_kind")
            self._validate_dates_rule(f"notice_by_tenure[{tenure}]", rule)
        for kind, rule in self.notice_dates_by_kind.items():
            self._validate_dates_rule(f"notice_dates_by_kind[{kind}]", rule)
        if self.section_8_regime not in SECTION_8_REGIMES:
            raise ValueError(f"section_8_regime must be one of {SECTION_8_REGIMES}")
        if set(self.notice_service_business_days) != set(SERVICE_METHODS) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0
            for v in self.notice_service_business_days.values()
        ):
            raise ValueError(
                f"notice_service_business_days must give each of {SERVICE_METHODS} "
                "a whole number ≥ 0"
            )
        for role, limits in self.legal_approval_limits.items():
            if not isinstance(limits, Mapping) or not set(limits) <= set(LEGAL_ESCALATIONS):
                raise ValueError(f"legal_approval_limits[{role}] must map escalations of "
                                 f"{LEGAL_ESCALATIONS} to a limit")
            for step, limit in limits.items():
                if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool)
                                          or limit < 0):
                    raise ValueError(f"legal_approval_limits[{role}][{step}] must be a whole "
                                     "number of pence ≥ 0 or null")
        missing = sorted(set(PRIORITY_WEIGHT_KEYS) - set(self.priority_weights))
        if missing:
            raise ValueError(f"priority_weights lacks {', '.join(missing)}")
        for key, weight in self.priority_weights.items():
            # A negative weight could let a flag such as vulnerability lower priority.
            if not isinstance(weight, int) or weight < 0:
                raise ValueError(f"priority_weights[{key}] must be a whole number ≥ 0")
        for action, patches in self.auto_send.items():
            if (not isinstance(patches, tuple) or not patches
                    or not all(isinstance(p, str) and p for p in patches)):
                raise ValueError(f"auto_send[{action}] must list patch codes, or \"*\" for all")
        for cap in ("weeks_owed_cap", "days_since_payment_cap"):
            if self.priority_weights[cap] <= 0:
                raise ValueError(f"priority_weights[{cap}] must be > 0")

    @staticmethod
    def _validate_dates_rule(where: str, rule: Mapping[str, Any]) -> None:
        epd = rule.get("earliest_proceedings")
        expiry = rule.get("expiry")
        if not isinstance(epd, Mapping) or epd.get("rule") not in EPD_RULES:
            raise ValueError(f"{where}.earliest_proceedings.rule must be one of {EPD_RULES}")
        if not isinstance(epd.get("days"), int) or epd["days"] < 0:
            raise ValueError(f"{where}.earliest_proceedings.days must be a whole number ≥ 0")
        if not isinstance(expiry, Mapping) or expiry.get("from") not in EXPIRY_FROM:
            raise ValueError(f"{where}.expiry.from must be one of {EXPIRY_FROM}")
        if not isinstance(expiry.get("months"), int) or expiry["months"] < 0:
            raise ValueError(f"{where}.expiry.months must be a whole number ≥ 0")
