"""The three-tenancy interchange folder of the design docs, read straight from its CSV files."""

from __future__ import annotations

import datetime
from pathlib import Path

import polars as pl
import pytest

from openincome.engine import EngineInputs, classify
from openincome.engine.reasons import explain
from openincome.policy.defaults import DEFAULT_POLICY

MONEY = {"amount", "expected_amount", "starting_balance", "instalment", "terms_instalment"}
FILES = {
    "transactions": "transactions.csv",
    "charges": "charges.csv",
    "benefits": "benefits.csv",
    "notices": "notices.csv",
    "pauses": "pauses.csv",
    "actions": "actions.csv",
}


def pence(column: str) -> pl.Expr:
    """'98.40' → 9840 without going through a float."""
    parts = pl.col(column).str.split_exact(".", 1)
    pounds = parts.struct.field("field_0").cast(pl.Int64)
    frac = parts.struct.field("field_1").fill_null("0").str.pad_end(2, "0").cast(pl.Int64)
    return (pounds * 100 + frac).alias(column)


def load(folder: Path) -> EngineInputs:
    """Read an interchange folder into engine frames (tenancy_ref → tenancy_id)."""
    tenancies = pl.read_csv(folder / "tenancies.csv", infer_schema=False)
    properties = pl.read_csv(folder / "properties.csv", infer_schema=False)
    tenancies = tenancies.with_row_index("tenancy_id", offset=1).join(
        properties.select("property_ref", "patch"), on="property_ref", how="left"
    )
    ids = tenancies.select("tenancy_ref", pl.col("tenancy_id").cast(pl.Int64))
    frames = {"tenancies": tenancies.drop("property_ref")}
    for name, file in FILES.items():
        frame = pl.read_csv(folder / file, infer_schema=False)
        frame = frame.join(ids, on="tenancy_ref").drop("tenancy_ref")
        frame = frame.with_columns(
            [pence(c) for c in frame.columns if c in MONEY]
            + [pl.col(c).replace({"true": True, "false": False}).cast(pl.Boolean)
               for c in frame.columns if c == "direct_to_landlord"]
        )
        frames[name] = frame
    return EngineInputs(**frames)


@pytest.fixture
def inputs(example_folder: Path) -> EngineInputs:
    return load(example_folder)


def rows(inputs: EngineInputs, as_of: datetime.date) -> dict[str, dict]:
    out = classify(inputs, DEFAULT_POLICY, as_of)
    return {r["tenancy_ref"]: r for r in out.iter_rows(named=True)}


def test_early_march(inputs):
    """10 Mar: EX-0002 owes 6 weeks, letters done, contacted, UC claimed → chase the claim."""
    got = rows(inputs, datetime.date(2026, 3, 10))
    two = got["EX-0002"]
    assert (two["balance"], two["grace"], two["arrears"]) == (72_690, 12_115, 60_575)
    assert two["action"] == "chase_benefit_claim"
    assert two["episode_start"] == datetime.date(2026, 2, 2)
    assert (got["EX-0001"]["action"], got["EX-0001"]["reasons"]) == ("none", ["up_to_date"])
    assert got["EX-0003"]["action"] == "fta_recovery"
    assert got["EX-0003"]["balance"] == 11_250


def test_notice_period_then_court_warning(inputs):
    """The section 8 notice of 16 Mar (no dates given) runs to 30 Mar, then warn of court."""
    during = rows(inputs, datetime.date(2026, 3, 20))["EX-0002"]
    assert (during["action"], during["reasons"][0]) == ("none", "notice_period_running")
    assert during["notice_earliest_proceedings_date"] == datetime.date(2026, 3, 30)
    assert during["notice_expiry_date"] == datetime.date(2027, 3, 16)
    after = rows(inputs, datetime.date(2026, 3, 31))
    assert after["EX-0002"]["action"] == "send_court_warning"
    assert after["EX-0002"]["arrears"] == 96_920
    assert after["EX-0001"]["action"] == "paused"
    assert after["EX-0001"]["pause_reason"] == "bereavement"
    assert after["EX-0001"]["pause_until"] == datetime.date(2026, 4, 20)


def test_every_reason_reads_as_a_sentence(inputs):
    for as_of in (datetime.date(2026, 3, 10), datetime.date(2026, 3, 31)):
        for row in rows(inputs, as_of).values():
            for code in row["reasons"] + row["blocked_by"]:
                sentence = explain(code, row)
                assert sentence.endswith(".") and "None" not in sentence
