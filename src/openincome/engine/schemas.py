"""The frames the engine takes and returns: their schemas, and checking them on entry."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import polars as pl

Schema = dict[str, pl.DataType]

TENANCIES: Schema = {
    "tenancy_id": pl.Int64(),
    "tenancy_ref": pl.String(),
    "patch": pl.String(),
    "tenure": pl.String(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "vulnerable": pl.Boolean(),
    # Introductory and starter tenancies: the day the trial ends (null: start + trial_months).
    "trial_end_date": pl.Date(),
}
TRANSACTIONS: Schema = {
    "tenancy_id": pl.Int64(),
    "date": pl.Date(),
    "type": pl.String(),
    "amount": pl.Int64(),
}
CHARGES: Schema = {
    "tenancy_id": pl.Int64(),
    "charge_code": pl.String(),
    "amount": pl.Int64(),
    "frequency": pl.String(),
    "effective_from": pl.Date(),
    "effective_to": pl.Date(),
}
BENEFITS: Schema = {
    "tenancy_id": pl.Int64(),
    "claim_ref": pl.String(),
    "benefit": pl.String(),
    "status": pl.String(),
    "status_date": pl.Date(),
    "direct_to_landlord": pl.Boolean(),
    "expected_amount": pl.Int64(),
    "frequency": pl.String(),
}
AGREEMENTS: Schema = {
    "agreement_ref": pl.String(),
    "tenancy_id": pl.Int64(),
    "kind": pl.String(),
    "start_date": pl.Date(),
    "starting_balance": pl.Int64(),
    "instalment": pl.Int64(),
    "frequency": pl.String(),
    "status": pl.String(),
}
NOTICES: Schema = {
    "notice_ref": pl.String(),
    "tenancy_id": pl.Int64(),
    "kind": pl.String(),
    "served_date": pl.Date(),
    "earliest_proceedings_date": pl.Date(),
    "expiry_date": pl.Date(),
}
COURT_CASES: Schema = {
    "case_ref": pl.String(),
    "tenancy_id": pl.Int64(),
    "claim_date": pl.Date(),
    "hearing_date": pl.Date(),
    "outcome": pl.String(),
    "outcome_date": pl.Date(),
    "possession_date": pl.Date(),
    "terms_instalment": pl.Int64(),
    "terms_frequency": pl.String(),
    "warrant_date": pl.Date(),
    "eviction_date": pl.Date(),
}
PAUSES: Schema = {
    "tenancy_id": pl.Int64(),
    "reason": pl.String(),
    "start_date": pl.Date(),
    "end_date": pl.Date(),
    "note": pl.String(),
}
PROMISES: Schema = {
    "promise_ref": pl.String(),
    "tenancy_id": pl.Int64(),
    "made_date": pl.Date(),
    "due_date": pl.Date(),
    "amount": pl.Int64(),
}
ACTIONS: Schema = {
    "tenancy_id": pl.Int64(),
    "date": pl.Date(),
    "code": pl.String(),
}
# A tenancy's transactions dated on or before `as_at`, summarised (a balance checkpoint):
# with one of these, `transactions` holds only that tenancy's rows dated after `as_at`.
OPENINGS: Schema = {
    "tenancy_id": pl.Int64(),
    "as_at": pl.Date(),
    "balance": pl.Int64(),
    # First day of the run of positive end-of-day balances in progress at as_at (null when
    # the balance at as_at is not positive).
    "episode_start": pl.Date(),
    "last_payment_date": pl.Date(),
    "last_hb_date": pl.Date(),
    "unknown_types": pl.Int64(),
}

INPUT_SCHEMAS: dict[str, Schema] = {
    "tenancies": TENANCIES,
    "transactions": TRANSACTIONS,
    "charges": CHARGES,
    "benefits": BENEFITS,
    "agreements": AGREEMENTS,
    "notices": NOTICES,
    "court_cases": COURT_CASES,
    "pauses": PAUSES,
    "promises": PROMISES,
    "actions": ACTIONS,
    "openings": OPENINGS,
}

# Rows without these cannot be placed in time or attached to a tenancy, so they are dropped.
REQUIRED: dict[str, tuple[str, ...]] = {
    "tenancies": ("tenancy_id",),
    "transactions": ("tenancy_id", "date"),
    "charges": ("tenancy_id", "effective_from"),
    "benefits": ("tenancy_id", "status_date"),
    "agreements": ("tenancy_id", "start_date"),
    "notices": ("tenancy_id", "served_date"),
    "court_cases": ("tenancy_id", "claim_date"),
    "pauses": ("tenancy_id", "start_date"),
    "promises": ("tenancy_id", "made_date", "due_date"),
    "actions": ("tenancy_id", "date"),
    "openings": ("tenancy_id", "as_at"),
}

# Columns that may arrive as Categorical/Enum and are kept so (cheap on 50M rows).
CATEGORY_OK = {("transactions", "type"), ("actions", "code")}

OUTPUT: Schema = {
    "tenancy_id": pl.Int64(),
    "tenancy_ref": pl.String(),
    "as_of": pl.Date(),
    "patch": pl.String(),
    "tenure": pl.String(),
    "balance": pl.Int64(),
    "arrears": pl.Int64(),
    "technical_arrears": pl.Int64(),
    "actionable_arrears": pl.Int64(),
    "weekly_charge": pl.Int64(),
    "weeks_owed": pl.Float64(),
    "days_in_arrears": pl.Int64(),
    "days_since_last_payment": pl.Int64(),
    "episode_start": pl.Date(),
    "action": pl.String(),
    "notice_kind": pl.String(),
    "reasons": pl.List(pl.String()),
    "blocked_by": pl.List(pl.String()),
    "pause_reason": pl.String(),
    "pause_until": pl.Date(),
    "priority": pl.Int64(),
    # Extras: figures the reasons quote and the account page shows.
    "policy_section": pl.String(),
    "vulnerable": pl.Boolean(),
    "grace": pl.Int64(),
    "rent_frequency": pl.String(),
    "last_payment_date": pl.Date(),
    "last_clear_date": pl.Date(),
    "reducing": pl.Boolean(),
    "reminder_date": pl.Date(),
    "letter_1_date": pl.Date(),
    "letter_2_date": pl.Date(),
    "contact_made_date": pl.Date(),
    "contact_attempt_days": pl.Int64(),
    "apa_requested_date": pl.Date(),
    "notice_ref": pl.String(),
    "notice_served_kind": pl.String(),
    "notice_served_date": pl.Date(),
    "notice_earliest_proceedings_date": pl.Date(),
    "notice_expiry_date": pl.Date(),
    "notice_valid": pl.Boolean(),
    "court_warning_date": pl.Date(),
    "pre_action_checklist_date": pl.Date(),
    "benefit_claim_pending": pl.Boolean(),
    "case_ref": pl.String(),
    "hearing_date": pl.Date(),
    "court_outcome": pl.String(),
    "possession_date": pl.Date(),
    "warrant_date": pl.Date(),
    "eviction_date": pl.Date(),
    "court_order_expected": pl.Int64(),
    "order_date": pl.Date(),
    "order_breach_letter_date": pl.Date(),
    "hearing_pack_date": pl.Date(),
    "trial_end": pl.Date(),
    "promise_ref": pl.String(),
    "promise_due_date": pl.Date(),
    "promise_amount": pl.Int64(),
    "promise_paid": pl.Int64(),
    "agreement_ref": pl.String(),
    "agreement_expected": pl.Int64(),
    "breach_letter_date": pl.Date(),
    "moratorium_debt": pl.Int64(),
    "breathing_space_new_arrears": pl.Int64(),
}


def _empty(schema: Schema) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


@dataclass
class EngineInputs:
    """What the engine reads: one Polars frame per kind of record (any may be empty)."""

    tenancies: pl.DataFrame = field(default_factory=lambda: _empty(TENANCIES))
    transactions: pl.DataFrame = field(default_factory=lambda: _empty(TRANSACTIONS))
    charges: pl.DataFrame = field(default_factory=lambda: _empty(CHARGES))
    benefits: pl.DataFrame = field(default_factory=lambda: _empty(BENEFITS))
    agreements: pl.DataFrame = field(default_factory=lambda: _empty(AGREEMENTS))
    notices: pl.DataFrame = field(default_factory=lambda: _empty(NOTICES))
    court_cases: pl.DataFrame = field(default_factory=lambda: _empty(COURT_CASES))
    pauses: pl.DataFrame = field(default_factory=lambda: _empty(PAUSES))
    promises: pl.DataFrame = field(default_factory=lambda: _empty(PROMISES))
    actions: pl.DataFrame = field(default_factory=lambda: _empty(ACTIONS))
    openings: pl.DataFrame = field(default_factory=lambda: _empty(OPENINGS))

    def validated(self) -> EngineInputs:
        """Return a copy with every frame checked and cast to its schema."""
        return EngineInputs(
            **{
                f.name: conform(f.name, getattr(self, f.name))
                for f in dataclasses.fields(self)
            }
        )

    def for_tenancies(self, tenancy_ids: list[int]) -> EngineInputs:
        """Return the inputs restricted to some tenancies (what an adapter does for one)."""
        ids = pl.Series(tenancy_ids, dtype=pl.Int64).implode()
        return EngineInputs(
            **{
                f.name: getattr(self, f.name).filter(pl.col("tenancy_id").is_in(ids))
                for f in dataclasses.fields(self)
            }
        )


def conform(name: str, frame: pl.DataFrame | pl.LazyFrame | None) -> pl.DataFrame:
    """Check and cast one input frame to its schema (missing nullable columns are added)."""
    schema = INPUT_SCHEMAS[name]
    if frame is None:
        return _empty(schema)
    if isinstance(frame, pl.LazyFrame):
        frame = frame.collect()
    missing = [c for c in REQUIRED[name] if c not in frame.columns]
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(missing)}")
    exprs = []
    for column, dtype in schema.items():
        if column not in frame.columns:
            exprs.append(pl.lit(None, dtype=dtype).alias(column))
            continue
        have = frame.schema[column]
        if have == dtype or (
            (name, column) in CATEGORY_OK and isinstance(have, pl.Categorical | pl.Enum)
        ):
            exprs.append(pl.col(column))
        elif isinstance(dtype, pl.Date) and have == pl.String:
            exprs.append(pl.col(column).str.to_date("%Y-%m-%d", strict=True))
        else:
            exprs.append(pl.col(column).cast(dtype, strict=True))
    out = frame.select(exprs)
    required = [pl.col(c).is_not_null() for c in REQUIRED[name]]
    if out.height and any(out[c].null_count() for c in REQUIRED[name]):
        out = out.filter(pl.all_horizontal(required))
    return out
