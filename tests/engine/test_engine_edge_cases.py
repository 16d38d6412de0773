"""Edge cases that must never crash, and properties of the output frame as a whole."""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from engine_scenarios import D, T, ago, combine
from test_engine_policy_table import CASES, check

from openincome.engine import OUTPUT, EngineInputs, classify, ledger
from openincome.engine.schemas import INPUT_SCHEMAS
from openincome.policy.defaults import DEFAULT_POLICY

W = 10_000


def run(*tenancies: T, as_of: datetime.date = D, **kw) -> pl.DataFrame:
    return classify(combine(list(tenancies)), DEFAULT_POLICY, as_of, **kw)


def test_empty_inputs_give_an_empty_frame_with_the_output_schema():
    out = classify(EngineInputs(), DEFAULT_POLICY, D)
    assert out.height == 0
    assert out.schema == pl.Schema(OUTPUT)


def test_tenancies_only_every_tenancy_is_clear():
    frames = EngineInputs(
        tenancies=pl.DataFrame({"tenancy_id": [1, 2], "tenancy_ref": ["B", "A"]})
    )
    out = classify(frames, DEFAULT_POLICY, D)
    assert out["tenancy_ref"].to_list() == ["A", "B"]
    assert out["action"].to_list() == ["none", "none"]
    assert out["reasons"].to_list() == [["clear"], ["clear"]]
    assert out.schema == pl.Schema(OUTPUT)


def test_every_tenancy_is_returned_including_ended_and_those_without_data():
    ts = [T(), T(end=ago(400)), T().rent(W).owes(5_000, ago(10)), T(start=ago(-30))]
    out = run(*ts)
    assert sorted(out["tenancy_id"].to_list()) == sorted(t.id for t in ts)


def test_rows_about_unknown_tenancies_are_ignored():
    t = T().rent(W).owes(5_000, ago(10))
    stranger = T().rent(W).owes(9_000, ago(10))
    inputs = combine([t, stranger])
    inputs.tenancies = inputs.tenancies.filter(pl.col("tenancy_id") == t.id)
    out = classify(inputs, DEFAULT_POLICY, D)
    assert out["tenancy_id"].to_list() == [t.id]
    assert out["balance"].item() == 5_000


def test_sorted_by_priority_then_tenancy_ref():
    ts = [
        T(ref="C").rent(W).owes(90_000, ago(60)),
        T(ref="A").rent(W),
        T(ref="B").rent(W).owes(1_000, ago(10)),
        T(ref="D").rent(W),
    ]
    out = run(*ts)
    assert out["tenancy_ref"].to_list() == ["C", "B", "A", "D"]
    assert out["priority"].to_list()[2:] == [0, 0]


def test_duplicate_tenancy_rows_give_one_row():
    t = T().rent(W).owes(5_000, ago(10))
    inputs = t.inputs()
    inputs.tenancies = pl.concat([inputs.tenancies, inputs.tenancies])
    assert classify(inputs, DEFAULT_POLICY, D).height == 1


def test_rent_week_day_must_be_a_weekday():
    with pytest.raises(ValueError):
        classify(EngineInputs(), DEFAULT_POLICY, D, rent_week_day=7)


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(ValueError, match="transactions: missing column"):
        classify(
            EngineInputs(transactions=pl.DataFrame({"tenancy_id": [1]})), DEFAULT_POLICY, D
        )


def test_optional_columns_may_be_left_out_and_dates_given_as_text():
    inputs = EngineInputs(
        tenancies=pl.DataFrame({"tenancy_id": [1], "tenancy_ref": ["X"], "tenure": ["secure"]}),
        charges=pl.DataFrame(
            {"tenancy_id": [1], "charge_code": ["rent"], "amount": [W],
             "frequency": ["weekly"], "effective_from": ["2025-01-06"]}
        ),
        transactions=pl.DataFrame(
            {"tenancy_id": [1], "date": ["2026-02-02"], "type": ["rent"], "amount": [W]}
        ),
        actions=pl.DataFrame(
            {"tenancy_id": [1], "date": ["2026-02-10"], "code": ["letter_1_sent"]}
        ),
    )
    row = classify(inputs, DEFAULT_POLICY, D).row(0, named=True)
    assert (row["balance"], row["action"]) == (W, "send_letter_2")


def test_transactions_in_any_order_and_as_categoricals_give_the_same_result():
    t = (
        T().rent(W).owes(5_000, ago(40)).pay(2_000, ago(20)).owes(300, ago(20))
        .pay(9_000, ago(5)).tx(ago(3), "hb", 100).owes(20_000, ago(2))
    )
    inputs = t.inputs()
    expected = classify(inputs, DEFAULT_POLICY, D)
    shuffled = inputs.transactions.sample(fraction=1.0, shuffle=True, seed=7)
    for tx in (
        shuffled,
        shuffled.with_columns(pl.col("type").cast(pl.Categorical)),
        shuffled.with_columns(pl.col("type").cast(pl.Enum(sorted(set(shuffled["type"]))))),
    ):
        inputs.transactions = tx
        assert classify(inputs, DEFAULT_POLICY, D).equals(expected)


def test_pre_aggregated_transactions_give_the_same_result():
    t = T().rent(W).owes(5_000, ago(40)).pay(2_000, ago(20)).pay(3_000, ago(20)).pay(1, ago(3))
    inputs = t.inputs()
    expected = classify(inputs, DEFAULT_POLICY, D)
    inputs.transactions = inputs.transactions.group_by(
        ["tenancy_id", "date", "type"], maintain_order=True
    ).agg(pl.col("amount").sum())
    assert classify(inputs, DEFAULT_POLICY, D).equals(expected)


def test_a_mid_week_rent_change_uses_the_charge_in_effect_at_d():
    wednesday = ago(14)
    t = (
        T().charge(W, end=wednesday - datetime.timedelta(days=1))
        .charge(12_000, start=wednesday).owes(5_000, ago(30))
    )
    row = t.row()
    assert row["weekly_charge"] == 12_000


def test_overlapping_pauses_and_several_notices_and_a_case_without_hearing():
    t = (
        T().rent(W).owes(50_000, ago(100))
        .pause("hospital", ago(30), ago(10)).pause("dispute", ago(20))
        .pause("complaint", ago(15), ago(1))
        .notice("nosp_secure", ago(300)).notice("nosp_secure", ago(200))
        .notice("section_8", ago(100))
        .case(ago(50))
    )
    row = t.row()
    assert (row["action"], row["reasons"][0], row["pause_until"]) == ("paused", "dispute", None)
    assert row["notice_served_kind"] == "section_8"
    assert row["case_ref"] is not None


def test_future_dated_rows_of_every_kind_are_ignored():
    future = ago(-3)
    t = (
        T().rent(W).owes(2_000, ago(10)).owes(99_000, future)
        .charge(50_000, start=future, code="service")
        .action("letter_1_sent", future).notice("nosp_secure", future)
        .case(future, hearing_date=future).agreement(future, 2_000, 100)
        .pause("hospital", future).benefit("uc", "claimed", future)
    )
    row = t.row()
    assert (row["balance"], row["weekly_charge"], row["action"]) == (2_000, W, "send_letter_1")


def test_monthly_rent_through_a_year():
    t = T().rent(43_333, "monthly").owes(1_000, ago(30))
    row = t.row()
    figures = (row["weekly_charge"], row["rent_frequency"], row["arrears"])
    assert figures == (10_000, "monthly", 1_000)


def test_court_case_with_nothing_but_a_claim_date():
    row = T().rent(W).owes(50_000, ago(100)).case(ago(10)).row()
    assert (row["action"], row["reasons"]) == ("none", ["awaiting_hearing"])


def test_classifying_one_tenancy_gives_the_same_row_as_the_full_run():
    """What the adapter does for one account must match the nightly run."""
    default = [c for c in CASES if c.values[1] is DEFAULT_POLICY and c.values[2] == 0]
    built = [(c.values[0](), c.values[3], c.id) for c in default]
    inputs = combine([t for t, _, _ in built])
    full = classify(inputs, DEFAULT_POLICY, D)
    assert full.height == len(built)
    by_id = {r["tenancy_id"]: r for r in full.iter_rows(named=True)}
    # The full run meets every rule's expectations...
    problems = [f"{pid}: {p}" for t, expect, pid in built if (p := check(by_id[t.id], expect))]
    assert not problems, problems
    # ...and a run over one tenancy's rows gives exactly its row.
    for t, _, _ in built[::7]:
        alone = classify(inputs.for_tenancies([t.id]), DEFAULT_POLICY, D)
        assert alone.row(0, named=True) == by_id[t.id]


def test_slicing_the_ledger_into_chunks_changes_nothing(monkeypatch):
    """The ledger works through big frames a slice at a time; slices must not show."""
    builders = [c.values[0] for c in CASES if c.values[1] is DEFAULT_POLICY][:60]
    inputs = combine([b() for b in builders])
    # Future-dated rows too, so the in-place compaction has work to do.
    later = inputs.transactions.with_columns(pl.col("date") + pl.duration(days=400))
    inputs.transactions = pl.concat([inputs.transactions, later]).sample(
        fraction=1.0, shuffle=True, seed=3
    )
    expected = classify(inputs, DEFAULT_POLICY, D)
    for rows in (1, 2, 3, 17):
        monkeypatch.setattr(ledger, "_CHUNK_ROWS", rows)
        assert classify(inputs, DEFAULT_POLICY, D).equals(expected)


def test_input_schemas_are_the_documented_ones():
    assert set(INPUT_SCHEMAS) == {
        "tenancies", "transactions", "charges", "benefits", "agreements", "notices",
        "court_cases", "pauses", "promises", "actions", "openings",
    }
    assert INPUT_SCHEMAS["transactions"] == {
        "tenancy_id": pl.Int64(), "date": pl.Date(), "type": pl.String(), "amount": pl.Int64()
    }
