"""truth/truth.csv: one row per tenancy and month-end snapshot, labels that make sense."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from simulator_testkit import read, simulated

from openincome.simulator.behaviour import PERSONAS


@pytest.fixture(scope="module")
def folder():
    return simulated(400, 3, 11)


@pytest.fixture(scope="module")
def truth(folder):
    return read(folder, "truth/truth.csv").with_columns(
        pl.col("as_of").str.to_date(),
        *[
            (pl.col(c).cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64)
            for c in ("balance", "technical_arrears", "real_arrears")
        ],
    )


def _snapshots(start: dt.date, end: dt.date) -> list[dt.date]:
    """The last Sunday of each month (or of the history) within the history."""
    out, d = [], start
    while d <= end:
        if d.weekday() == 6 and (
            (d + dt.timedelta(days=7)).month != d.month or d + dt.timedelta(days=7) > end
        ):
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def test_a_row_per_tenancy_and_month(folder, truth):
    ten = read(folder, "tenancies.csv").with_columns(
        pl.col("start_date").str.to_date(), pl.col("end_date").str.to_date()
    )
    snaps = _snapshots(dt.date(2023, 11, 27), dt.date(2026, 11, 22))
    assert sorted(truth["as_of"].unique().to_list()) == snaps
    assert truth["month"].n_unique() == len(snaps) == 36
    expected = (
        ten.join(pl.DataFrame({"as_of": snaps}), how="cross")
        .filter(
            (pl.col("start_date") <= pl.col("as_of"))
            & (pl.col("end_date").is_null() | (pl.col("end_date") >= pl.col("as_of")))
        )
        .select("tenancy_ref", "as_of")
        .sort("tenancy_ref", "as_of")
    )
    got = truth.select("tenancy_ref", "as_of").sort("tenancy_ref", "as_of")
    assert got.equals(expected)


def test_each_tenancy_keeps_one_persona(truth):
    assert truth.group_by("tenancy_ref").agg(pl.col("persona").n_unique())["persona"].max() == 1
    assert set(truth["persona"].unique()) <= set(PERSONAS)
    assert truth["persona"].n_unique() >= 8


def test_arrears_split_into_technical_and_real(truth):
    pos = truth.filter(pl.col("balance") > 0)
    assert (pos["technical_arrears"] + pos["real_arrears"] == pos["balance"]).all()
    none = truth.filter(pl.col("arrears_kind") == "none")
    assert (none["balance"] <= 0).all()
    tech = truth.filter(pl.col("arrears_kind") == "technical")
    assert (tech["real_arrears"] <= 100).all()
    assert tech.height > 0 and truth.filter(pl.col("arrears_kind") == "real").height > 0


def test_cure_labels_only_where_there_were_arrears(truth):
    none = truth.filter(pl.col("arrears_kind") == "none")
    assert none["self_cured"].null_count() == none.height
    known = truth.filter(pl.col("self_cured").is_not_null())
    # Self-cured implies cured; technical arrears nearly always clear by themselves.
    assert (
        known.filter(
            (pl.col("self_cured") == "true") & (pl.col("cured_within_13w") == "false")
        ).height
        == 0
    )
    tech = known.filter(pl.col("arrears_kind") == "technical")
    assert (tech["cured_within_13w"] == "true").mean() > 0.8
    real = known.filter(pl.col("arrears_kind") == "real")
    assert 0.05 < (real["self_cured"] == "true").mean() < 0.9


def test_uc_tenants_are_far_more_often_in_arrears(truth):
    last = truth.filter(pl.col("as_of") == truth["as_of"].max())
    rate = last.group_by(pl.col("funding").is_in(["uc", "uc_apa"]).alias("uc")).agg(
        (pl.col("balance") > 0).mean().alias("r")
    )
    r = dict(zip(rate["uc"], rate["r"], strict=True))
    assert r[True] > 2 * r[False]
