"""Shared helpers of the simulator tests: cached simulated folders and a strict INTERCHANGE.md
checker written from the design document alone (independent of openincome.interchange)."""

from __future__ import annotations

import atexit
import datetime as dt
import functools
import re
import shutil
import tempfile
from pathlib import Path

import polars as pl

from openincome.simulator import simulate

_ROOT = Path(tempfile.mkdtemp(prefix="oi-sim-tests-"))
atexit.register(shutil.rmtree, _ROOT, True)


@functools.cache
def simulated(tenancies: int, years: int, seed: int) -> Path:
    """A simulated folder, made once per test session."""
    out = _ROOT / f"sim-{tenancies}-{years}-{seed}"
    simulate(tenancies, years, seed, out)
    return out


# -- INTERCHANGE.md, transcribed ----------------------------------------------------------------

PROPERTY_TYPES = {"house", "flat", "bungalow", "maisonette", "bedsit", "garage", "other"}
TENURES = {
    "secure",
    "flexible",
    "introductory",
    "assured",
    "starter",
    "licence",
    "non_secure",
    "garage",
}
CHANNELS = {"letter", "email", "sms", "phone"}
ACTION_CHANNELS = {"letter", "sms", "email", "phone", "visit", "office"}
CHARGE_CODES = {"rent", "service", "water", "heating", "support", "garage", "other"}
FREQUENCIES = {"weekly", "fortnightly", "four_weekly", "monthly"}
DEBITS = {
    "rent",
    "service",
    "water",
    "heating",
    "support",
    "garage",
    "other_charge",
    "court_costs",
    "recharge",
    "refund",
    "payment_reversal",
    "adjustment_debit",
}
CREDITS = {
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
    "adjustment_credit",
    "write_off",
}
ACTION_CODES = {
    "reminder_sent",
    "letter_1_sent",
    "letter_2_sent",
    "contact_made",
    "contact_attempted",
    "court_warning_sent",
    "pre_action_checklist_complete",
    "breach_letter_sent",
    "order_breach_letter_sent",
    "hearing_pack_prepared",
    "apa_requested",
    "statement_sent",
    "money_advice_referral",
    "note",
}
PAUSE_REASONS = {
    "breathing_space_standard",
    "breathing_space_mental_health",
    "bereavement",
    "hospital",
    "complaint",
    "dispute",
    "officer_discretion",
}
NOTICE_BY_TENURE = {
    "secure": "nosp_secure",
    "flexible": "nosp_secure",
    "introductory": "intro_s128",
    "assured": "section_8",
    "starter": "section_8",
    "licence": "notice_to_quit",
    "non_secure": "notice_to_quit",
    "garage": "notice_to_quit",
}

# file -> {column: (kind, required)}; kinds: text, ref, date, money, bool, int or a value set.
T, R, D, M, B, N = "text", "ref", "date", "money", "bool", "int"
SPEC: dict[str, dict[str, tuple[object, bool]]] = {
    "manifest.csv": {
        "format_version": (T, True),
        "landlord_name": (T, False),
        "exported_at": (T, False),
    },
    # The optional extension of docs/interchange.md: the landlord's rent-free weeks.
    "rent_free_weeks.csv": {
        "week_start": (D, True),
        "note": (T, False),
    },
    "properties.csv": {
        "property_ref": (R, True),
        "address_line_1": (T, True),
        "address_line_2": (T, False),
        "town": (T, False),
        "postcode": (T, True),
        "property_type": (PROPERTY_TYPES, False),
        "bedrooms": (N, False),
        "patch": (T, True),
    },
    "tenancies.csv": {
        "tenancy_ref": (R, True),
        "property_ref": (R, True),
        "tenure": (TENURES, True),
        "start_date": (D, True),
        "end_date": (D, False),
        "trial_end_date": (D, False),
        "payment_reference": (T, False),
        "preferred_channel": (CHANNELS, False),
    },
    "tenants.csv": {
        "tenancy_ref": (R, True),
        "person_ref": (R, True),
        "title": (T, False),
        "first_name": (T, False),
        "last_name": (T, True),
        "date_of_birth": (D, False),
        "email": (T, False),
        "mobile": (T, False),
        "phone": (T, False),
        "is_lead": (B, False),
        "vulnerabilities": (T, False),
        "language": (T, False),
    },
    "charges.csv": {
        "tenancy_ref": (R, True),
        "charge_code": (CHARGE_CODES, True),
        "amount": (M, True),
        "frequency": (FREQUENCIES, True),
        "effective_from": (D, True),
        "effective_to": (D, False),
    },
    "transactions.csv": {
        "transaction_ref": (R, True),
        "tenancy_ref": (R, True),
        "date": (D, True),
        "type": (DEBITS | CREDITS, True),
        "amount": (M, True),
        "description": (T, False),
        "period_start": (D, False),
    },
    "benefits.csv": {
        "claim_ref": (R, True),
        "tenancy_ref": (R, True),
        "benefit": ({"hb", "uc"}, True),
        "status": ({"claimed", "awaiting", "in_payment", "suspended", "ended"}, True),
        "status_date": (D, True),
        "direct_to_landlord": (B, False),
        "expected_amount": (M, False),
        "frequency": (FREQUENCIES, False),
    },
    "agreements.csv": {
        "agreement_ref": (R, True),
        "tenancy_ref": (R, True),
        "kind": ({"informal"}, True),
        "start_date": (D, True),
        "starting_balance": (M, True),
        "instalment": (M, True),
        "frequency": (FREQUENCIES, True),
        "status": ({"live", "cancelled", "completed"}, True),
    },
    "notices.csv": {
        "notice_ref": (R, True),
        "tenancy_ref": (R, True),
        "kind": (set(NOTICE_BY_TENURE.values()), True),
        "served_date": (D, True),
        "earliest_proceedings_date": (D, False),
        "expiry_date": (D, False),
    },
    "court_cases.csv": {
        "case_ref": (R, True),
        "tenancy_ref": (R, True),
        "claim_date": (D, True),
        "hearing_date": (D, False),
        "outcome": (
            {
                "outright",
                "spo",
                "ppo",
                "adjourned_on_terms",
                "adjourned_generally",
                "dismissed",
                "struck_out",
                "withdrawn",
            },
            False,
        ),
        "outcome_date": (D, False),
        "possession_date": (D, False),
        "terms_instalment": (M, False),
        "terms_frequency": (FREQUENCIES, False),
        "warrant_date": (D, False),
        "eviction_date": (D, False),
    },
    "pauses.csv": {
        "tenancy_ref": (R, True),
        "reason": (PAUSE_REASONS, True),
        "start_date": (D, True),
        "end_date": (D, False),
        "note": (T, False),
    },
    "promises.csv": {
        "promise_ref": (R, True),
        "tenancy_ref": (R, True),
        "made_date": (D, True),
        "due_date": (D, True),
        "amount": (M, True),
        "note": (T, False),
    },
    "actions.csv": {
        "tenancy_ref": (R, True),
        "date": (D, True),
        "code": (ACTION_CODES, True),
        "channel": (ACTION_CHANNELS, False),
        "note": (T, False),
    },
    # The optional benefits work files (docs/benefits.md).
    "verifications.csv": {
        "claim_ref": (R, True),
        "received_date": (D, True),
        "due_date": (D, True),
        "answered_date": (D, False),
        "answer": (T, False),
        "note": (T, False),
    },
    "payment_requests.csv": {
        "claim_ref": (R, True),
        "kind": ({"apa", "tpd"}, True),
        "requested_date": (D, True),
        "accepted_date": (D, False),
        "refused_date": (D, False),
        "ended_date": (D, False),
        "amount": (M, False),
        "note": (T, False),
    },
    "dhp_applications.csv": {
        "tenancy_ref": (R, True),
        "applied_date": (D, True),
        "amount_asked": (M, False),
        "reason": (T, True),
        "evidence": (T, False),
        "decision": ({"award", "refusal"}, False),
        "decision_date": (D, False),
        "award_amount": (M, False),
        "period_start": (D, False),
        "period_end": (D, False),
        "review_requested_date": (D, False),
    },
}
MONEY = re.compile(r"^\d+(\.\d{1,2})?$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def read(folder: Path, name: str) -> pl.DataFrame:
    """A file with every cell as text (empty cells null)."""
    return pl.read_csv(folder / name, infer_schema=False)


def _cells(name: str, df: pl.DataFrame, problems: list[str]) -> None:
    """Header and cell format checks of one file."""
    spec = SPEC[name]
    for col in df.columns:
        if col not in spec:
            problems.append(f"{name}:1: {col}: unknown column")
    if len(set(df.columns)) != len(df.columns):
        problems.append(f"{name}:1: -: duplicate column")
    for col, (kind, required) in spec.items():
        if col not in df.columns:
            if required:
                problems.append(f"{name}:1: {col}: required column missing")
            continue
        s = df[col]
        bad: pl.Series
        if required:
            for i in s.is_null().arg_true().to_list()[:5]:
                problems.append(f"{name}:{i + 2}: {col}: required value missing")
        v = s.drop_nulls()
        if kind == M:
            bad = v.filter(~v.str.contains(MONEY.pattern))
        elif kind == D:
            parsed = v.str.to_date("%Y-%m-%d", strict=False)
            bad = v.filter(parsed.is_null() | ~v.str.contains(DATE.pattern))
        elif kind == B:
            bad = v.filter(~v.is_in(["true", "false"]))
        elif kind == N:
            bad = v.filter(~v.str.contains(r"^\d+$"))
        elif isinstance(kind, set):
            bad = v.filter(~v.is_in(sorted(kind)))
        else:
            bad = v.filter(v.str.strip_chars() != v)
        for value in bad.head(5).to_list():
            problems.append(f"{name}: {col}: bad value ({value})")


def _unique(name: str, df: pl.DataFrame, cols: list[str], problems: list[str]) -> None:
    dup = df.select(cols).is_duplicated()
    if dup.any():
        problems.append(f"{name}: {','.join(cols)}: {int(dup.sum())} duplicated rows")


def check_folder(folder: Path) -> list[str]:
    """Every problem with an interchange folder, stricter than the importer needs to be."""
    problems: list[str] = []
    names = sorted(p.name for p in folder.iterdir() if p.is_file())
    for n in names:
        if n not in SPEC:
            problems.append(f"{n}:0: -: not an interchange file")
    if "tenancies.csv" not in names:
        return problems + ["tenancies.csv:0: -: required file missing"]
    dfs = {n: read(folder, n) for n in names if n in SPEC}
    for n, df in dfs.items():
        _cells(n, df, problems)
    if problems:
        return problems
    if dfs["manifest.csv"]["format_version"].to_list() != ["1"]:
        problems.append("manifest.csv:2: format_version: must be 1")
    props = dfs["properties.csv"]
    ten = dfs["tenancies.csv"]
    _unique("properties.csv", props, ["property_ref"], problems)
    _unique("tenancies.csv", ten, ["tenancy_ref"], problems)
    known_props = set(props["property_ref"].to_list())
    missing = set(ten["property_ref"].to_list()) - known_props
    if missing:
        problems.append(f"tenancies.csv: property_ref: unknown ({sorted(missing)[:3]})")
    refs = set(ten["tenancy_ref"].to_list())
    for n, df in dfs.items():
        if "tenancy_ref" in df.columns and n != "tenancies.csv":
            unknown = set(df["tenancy_ref"].to_list()) - refs
            if unknown:
                problems.append(f"{n}: tenancy_ref: unknown ({sorted(unknown)[:3]})")
    for n, key in (
        ("transactions.csv", ["transaction_ref"]),
        ("benefits.csv", ["claim_ref"]),
        ("agreements.csv", ["agreement_ref"]),
        ("notices.csv", ["notice_ref"]),
        ("court_cases.csv", ["case_ref"]),
        ("promises.csv", ["promise_ref"]),
        ("tenants.csv", ["tenancy_ref", "person_ref"]),
        ("pauses.csv", ["tenancy_ref", "reason", "start_date"]),
        ("charges.csv", ["tenancy_ref", "charge_code", "effective_from"]),
        ("verifications.csv", ["claim_ref", "received_date"]),
        ("payment_requests.csv", ["claim_ref", "kind", "requested_date"]),
        ("dhp_applications.csv", ["tenancy_ref", "applied_date"]),
    ):
        if n in dfs:
            _unique(n, dfs[n], key, problems)
    problems += _consistency(dfs)
    return problems


def _dates(df: pl.DataFrame, *cols: str) -> pl.DataFrame:
    return df.with_columns([pl.col(c).str.to_date("%Y-%m-%d") for c in cols])


def _consistency(dfs: dict[str, pl.DataFrame]) -> list[str]:
    """Cross-row rules of INTERCHANGE.md and POLICY.md the simulator promises to keep."""
    problems = []
    ten = _dates(dfs["tenancies.csv"], "start_date", "end_date")
    if ten.filter(pl.col("end_date") < pl.col("start_date")).height:
        problems.append("tenancies.csv: end_date before start_date")
    # A property is re-let only after the previous tenancy ends.
    lets = ten.sort(["property_ref", "start_date"]).with_columns(
        prev_end=pl.col("end_date").shift(1).over("property_ref"),
        prev_open=(pl.col("end_date").is_null()).shift(1).over("property_ref"),
    )
    if lets.filter(pl.col("prev_open") | (pl.col("prev_end") >= pl.col("start_date"))).height:
        problems.append("tenancies.csv: overlapping tenancies of one property")
    ch = _dates(dfs["charges.csv"], "effective_from", "effective_to").sort(
        ["tenancy_ref", "charge_code", "effective_from"]
    )
    if ch.filter(pl.col("effective_to") < pl.col("effective_from")).height:
        problems.append("charges.csv: effective_to before effective_from")
    overlap = ch.with_columns(
        prev_to=pl.col("effective_to").shift(1).over(["tenancy_ref", "charge_code"]),
        prev_open=pl.col("effective_to").is_null().shift(1).over(["tenancy_ref", "charge_code"]),
    ).filter(pl.col("prev_open") | (pl.col("prev_to") >= pl.col("effective_from")))
    if overlap.height:
        problems.append(f"charges.csv: {overlap.height} overlapping charge rows")
    tx = _dates(dfs["transactions.csv"], "date", "period_start")
    rent = tx.filter(pl.col("type") == "rent")
    if rent.filter(
        (pl.col("date").dt.weekday() != 1) | (pl.col("period_start") != pl.col("date"))
    ).height:
        problems.append("transactions.csv: rent not debited on Monday of its rent week")
    if tx.filter(pl.col("amount").cast(pl.Float64) <= 0).height:
        problems.append("transactions.csv: zero amounts")
    if "notices.csv" in dfs:
        nt = dfs["notices.csv"].join(ten.select("tenancy_ref", "tenure"), on="tenancy_ref")
        wrong = nt.filter(pl.col("kind") != pl.col("tenure").replace_strict(NOTICE_BY_TENURE))
        if wrong.height:
            problems.append(f"notices.csv: {wrong.height} notices of the wrong kind for tenure")
    if "court_cases.csv" in dfs:
        cc = dfs["court_cases.csv"]
        terms = cc.filter(pl.col("outcome").is_in(["spo", "ppo", "adjourned_on_terms"]))
        if terms.filter(pl.col("terms_instalment").is_null()).height:
            problems.append("court_cases.csv: order on terms without terms_instalment")
        if cc.filter(pl.col("outcome").is_not_null() & pl.col("hearing_date").is_null()).height:
            problems.append("court_cases.csv: outcome without hearing date")
    end = dt.date.fromisoformat(dfs["manifest.csv"]["exported_at"][0])
    if tx.filter(pl.col("date") > end).height:
        problems.append("transactions.csv: dated after the export")
    return problems
