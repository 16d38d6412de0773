"""Openings (balance checkpoints): starting from one gives exactly what the full history gives.

A later nightly run reads each tenancy's opening at a checkpoint date C plus its rows dated
after C instead of every row. Every scenario of the policy table is classified both ways, at
several checkpoint dates; where an opening is too recent for a figure the engine must say so
(HistoryNeeded) rather than guess, and reading those tenancies in full must then agree too.
"""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from engine_scenarios import D, T, ago, combine
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from policy_tables import all_cases
from test_engine_policy_table import CASES
from test_engine_quantities_hypothesis import BASE, ledgers

from openincome.engine import EngineInputs, HistoryNeeded, classify, classify_with_openings
from openincome.engine.openings import checkpoint_lag, history_needed
from openincome.engine.schemas import OPENINGS
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1

DAY = datetime.timedelta(days=1)


def from_openings(inputs: EngineInputs, policy, as_of, rent_week_day, opening_as_at):
    """The inputs a checkpointed run reads: openings at C, and only rows dated after C."""
    _, openings = classify_with_openings(
        inputs, policy, as_of, rent_week_day, opening_as_at=opening_as_at
    )
    tx = inputs.transactions
    opened = openings.select("tenancy_id", "as_at")
    tail = tx.join(opened, on="tenancy_id", how="left").filter(
        pl.col("as_at").is_null() | (pl.col("date") > pl.col("as_at"))
    ).drop("as_at")
    return EngineInputs(**{**vars(inputs), "transactions": tail, "openings": openings})


def with_full_history(inputs: EngineInputs, checkpointed: EngineInputs, ids: list[int]):
    """The checkpointed inputs with some tenancies read in full (their openings dropped)."""
    full = pl.Series(ids, dtype=pl.Int64).implode()
    return EngineInputs(**{
        **vars(checkpointed),
        "openings": checkpointed.openings.filter(~pl.col("tenancy_id").is_in(full)),
        "transactions": pl.concat([
            checkpointed.transactions.filter(~pl.col("tenancy_id").is_in(full)),
            inputs.transactions.filter(pl.col("tenancy_id").is_in(full)),
        ]),
    })


def classify_checkpointed(inputs, policy, as_of, rent_week_day, opening_as_at, roll_to=None):
    """Classify from openings; on HistoryNeeded read those tenancies in full, as the adapter
    does. Returns the result, the tenancies that needed their history, and (with `roll_to`)
    the openings at that later date taken from the same run."""
    checkpointed = from_openings(inputs, policy, as_of, rent_week_day, opening_as_at)
    try:
        result, rolled = classify_with_openings(checkpointed, policy, as_of, rent_week_day,
                                                opening_as_at=roll_to)
        return result, [], rolled
    except HistoryNeeded as needed:
        retry = with_full_history(inputs, checkpointed, needed.tenancy_ids)
        result, rolled = classify_with_openings(retry, policy, as_of, rent_week_day,
                                                opening_as_at=roll_to)
        return result, needed.tenancy_ids, rolled


# Checkpoint dates: well back, just past the 28-day window and the rent period, and at D.
BACK = (120, 45, 29, 28, 8, 1, 0)
# The policy table, one landlord per (policy, rent-week day) so each date is one run.
GROUPS: dict[tuple, list] = {}
for case_id, build, policy, rent_week_day in all_cases():
    GROUPS.setdefault((policy.name, rent_week_day), []).append((case_id, build, policy))


@pytest.mark.parametrize("group", GROUPS, ids=[f"{p} day {d}" for p, d in GROUPS])
def test_every_policy_scenario_gives_the_same_row_from_an_opening(group):
    """Each policy-table scenario, classified from openings at several dates, equals the full
    read (the scenarios of one policy and rent-week day run together as one landlord)."""
    cases = GROUPS[group]
    policy, rent_week_day = cases[0][2], group[1]
    built = [(case_id, build()) for case_id, build, _ in cases]
    names = {t.id: case_id for case_id, t in built}
    inputs = combine([t for _, t in built])
    full = classify(inputs, policy, D, rent_week_day)
    for back in BACK:
        got, _, _ = classify_checkpointed(inputs, policy, D, rent_week_day, D - back * DAY)
        want = {r["tenancy_id"]: r for r in full.iter_rows(named=True)}
        differ = [names[r["tenancy_id"]] for r in got.iter_rows(named=True)
                  if r != want.get(r["tenancy_id"])]
        assert not differ, f"opening {back} days before D: {differ}"
        assert got.equals(full)


def test_all_scenarios_at_once_from_openings_45_days_back():
    """Only the few tenancies whose figures reach behind the checkpoint need their history."""
    tenancies = [c.values[0]() for c in CASES if c.values[1] is POLICY_V1
                 and c.values[2] == 0]
    inputs = combine(tenancies)
    full = classify(inputs, POLICY_V1, D)
    got, needed, _ = classify_checkpointed(inputs, POLICY_V1, D, 0, D - 45 * DAY)
    assert got.equals(full)
    # Breathing spaces and court orders dated before the checkpoint need the older rows.
    assert 0 < len(needed) < len(tenancies) // 4


def test_an_opening_too_recent_for_the_reducing_window_is_reported_not_guessed():
    """§1 reducing reads the balance 28 days back: an opening 10 days back cannot answer."""
    inputs = T().rent(10_000).owes(50_000, ago(60)).pay(2_000, ago(3)).inputs()
    checkpointed = from_openings(inputs, DEFAULT_POLICY, D, 0, D - 10 * DAY)
    with pytest.raises(HistoryNeeded) as raised:
        classify(checkpointed, DEFAULT_POLICY, D)
    assert raised.value.tenancy_ids == inputs.tenancies["tenancy_id"].to_list()


@pytest.mark.parametrize("policy", [POLICY_V1, DEFAULT_POLICY], ids=lambda p: p.name)
def test_openings_roll_forward_to_the_same_opening(policy):
    """An opening at C2 taken from an opening at C1 plus later rows equals one from the full
    history (the nightly moves its checkpoint forward this way)."""
    tenancies = [b() for _, b, p, day in all_cases() if p is policy and day == 0][:80]
    inputs = combine(tenancies)
    c1, c2 = D - 90 * DAY, D - 40 * DAY
    direct = classify_with_openings(inputs, policy, D, 0, opening_as_at=c2)[1]
    _, _, rolled = classify_checkpointed(inputs, policy, D, 0, c1, roll_to=c2)
    key = ["tenancy_id"]
    assert rolled.sort(key).equals(direct.sort(key))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledger=ledgers(), back=st.integers(0, 50), rent_week_day=st.integers(0, 6))
def test_random_ledgers_give_the_same_row_from_an_opening(ledger, back, rent_week_day):
    """Random ledgers (rows on shared days, after D, any types) at any checkpoint date."""
    txs, chs, as_of = ledger
    rent_days = [c[3] for c in chs if c[0] == "rent"]
    assume(len(set(rent_days)) == len(rent_days))
    t = T(as_of=as_of, start=BASE)
    for code, amount, freq, start, end in sorted(chs, key=lambda c: c[3]):
        t.charge(amount, freq, start, end, code)
    for d, tx_type, amount in txs:
        t.tx(d, tx_type, amount)
    inputs = t.inputs()
    full = classify(inputs, DEFAULT_POLICY, as_of, rent_week_day)
    got, _, _ = classify_checkpointed(inputs, DEFAULT_POLICY, as_of, rent_week_day,
                                      as_of - back * DAY)
    assert got.equals(full)


def _opening(tenancy_id: int, as_at: datetime.date, balance: int = 0) -> pl.DataFrame:
    return pl.DataFrame(
        [{"tenancy_id": tenancy_id, "as_at": as_at, "balance": balance, "unknown_types": 0}],
        schema=OPENINGS,
    )


@pytest.mark.parametrize("why, openings, message", [
    ("a row the opening already summarises would count twice",
     lambda t: _opening(t, ago(5)), "summarised by it already"),
    ("an opening after D summarises rows unknown at D",
     lambda t: _opening(t, ago(-1)), "after D"),
    ("two openings for one tenancy",
     lambda t: pl.concat([_opening(t, ago(40)), _opening(t, ago(50))]), "more than one"),
])
def test_bad_openings_are_refused(why, openings, message):
    """Openings that cannot be right are refused with a clear message, not used."""
    t = T().rent(10_000).owes(5_000, ago(3))
    inputs = t.inputs()
    bad = EngineInputs(**{**vars(inputs), "openings": openings(t.id)})
    with pytest.raises(ValueError, match=message):
        classify(bad, DEFAULT_POLICY, D)


@pytest.mark.parametrize("group", GROUPS, ids=[f"{p} day {d}" for p, d in GROUPS])
def test_history_needed_foresees_every_tenancy_the_engine_asks_about(group):
    """With checkpoints at least checkpoint_lag days back, reading history_needed's tenancies
    in full leaves the engine nothing to ask for (the adapter's retry stays a safety net)."""
    cases = GROUPS[group]
    policy, rent_week_day = cases[0][2], group[1]
    inputs = combine([build() for _, build, _ in cases])
    full = classify(inputs, policy, D, rent_week_day)
    for back in (checkpoint_lag(policy), 45, 120, 400):
        as_at = D - back * DAY
        checkpointed = from_openings(inputs, policy, D, rent_week_day, as_at)
        needed = history_needed(inputs, policy, D, as_at)
        got = classify(with_full_history(inputs, checkpointed, needed), policy, D, rent_week_day)
        assert got.equals(full)
