"""Charges and transactions: rent calendar, April increases, 53-week years, arithmetic."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from simulator_testkit import read, simulated

from openincome.simulator.rentcal import rent_year_start


@pytest.fixture(scope="module")
def folder():
    return simulated(400, 3, 11)


@pytest.fixture(scope="module")
def tx(folder):
    return read(folder, "transactions.csv").with_columns(
        pl.col("date").str.to_date(),
        pl.col("period_start").str.to_date(),
        pence=(pl.col("amount").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64),
    )


@pytest.fixture(scope="module")
def charges(folder):
    return read(folder, "charges.csv").with_columns(
        pl.col("effective_from").str.to_date(),
        pl.col("effective_to").str.to_date(),
        pence=(pl.col("amount").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64),
    )


def test_charge_rows_of_a_tenancy_never_overlap(charges):
    rows = charges.sort(["tenancy_ref", "charge_code", "effective_from"]).with_columns(
        next_from=pl.col("effective_from").shift(-1).over(["tenancy_ref", "charge_code"])
    )
    superseded = rows.filter(pl.col("next_from").is_not_null())
    assert (superseded["effective_to"] == superseded["next_from"] - dt.timedelta(days=1)).all()


def test_rent_rises_on_the_first_monday_of_april(charges):
    rent = charges.filter(pl.col("charge_code") == "rent").sort(["tenancy_ref", "effective_from"])
    rises = rent.with_columns(prev=pl.col("pence").shift(1).over("tenancy_ref")).filter(
        pl.col("prev").is_not_null()
    )
    assert rises.height > 0
    assert all(d == rent_year_start(d.year) for d in rises["effective_from"].unique().to_list())
    ratio = (rises["pence"] / rises["prev"]).to_list()
    assert all(1.0 < r < 1.1 for r in ratio)  # CPI + 1% style increases


def test_each_rent_debit_is_the_rent_in_force_that_week(tx, charges):
    rent = charges.filter(pl.col("charge_code") == "rent").select(
        "tenancy_ref", "effective_from", "effective_to", charge="pence"
    )
    debits = (
        tx.filter(pl.col("type") == "rent")
        .sort("date")
        .join_asof(
            rent.sort("effective_from"),
            left_on="date",
            right_on="effective_from",
            by="tenancy_ref",
            strategy="backward",
            check_sortedness=False,  # both sides are sorted by date; groups hide that
        )
    )
    assert debits["charge"].null_count() == 0
    assert (debits["pence"] == debits["charge"]).all()
    assert (debits["effective_to"].is_null() | (debits["date"] <= debits["effective_to"])).all()
    assert (debits["date"].dt.weekday() == 1).all()


def test_no_rent_in_the_christmas_weeks_and_51_weeks_in_a_53_week_year(tx, folder):
    rent = tx.filter(pl.col("type") == "rent")
    christmas = [
        dt.date(y, 12, 25) - dt.timedelta(days=dt.date(y, 12, 25).weekday())
        for y in (2023, 2024, 2025)
    ]
    free = christmas + [d + dt.timedelta(days=7) for d in christmas]
    assert rent.filter(pl.col("date").is_in(free)).height == 0
    # 2024/25 had 53 Mondays: 51 chargeable weeks; 2025/26 had 52: 50.
    ten = read(folder, "tenancies.csv").with_columns(
        pl.col("start_date").str.to_date(), pl.col("end_date").str.to_date()
    )
    for year, weeks in ((2024, 51), (2025, 50)):
        a, b = rent_year_start(year), rent_year_start(year + 1)
        whole = ten.filter((pl.col("start_date") <= a) & (pl.col("end_date").is_null()))
        counts = (
            rent.filter((pl.col("date") >= a) & (pl.col("date") < b))
            .join(whole.select("tenancy_ref"), on="tenancy_ref")
            .group_by("tenancy_ref")
            .len()
        )
        assert counts.height > 100
        assert (counts["len"] == weeks).all(), year


def test_amounts_are_positive_and_refs_unique(tx):
    assert (tx["pence"] > 0).all()
    assert tx["transaction_ref"].n_unique() == tx.height


def test_balances_add_up_to_the_ground_truth(tx, folder):
    truth = read(folder, "truth/truth.csv").with_columns(pl.col("as_of").str.to_date())
    last = truth["as_of"].max()
    signed = (
        pl.when(
            pl.col("type").is_in(
                [
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
                ]
            )
        )
        .then(pl.col("pence"))
        .otherwise(-pl.col("pence"))
    )
    bal = tx.filter(pl.col("date") <= last).group_by("tenancy_ref").agg(signed.sum().alias("b"))
    snap = (
        truth.filter(pl.col("as_of") == last)
        .with_columns(t=(pl.col("balance").cast(pl.Decimal(20, 2)) * 100).cast(pl.Int64))
        .join(bal, on="tenancy_ref", how="left")
        .with_columns(pl.col("b").fill_null(0))
    )
    assert (snap["t"] == snap["b"]).all()


def test_failed_direct_debits_are_returned_and_represented(tx):
    returned = tx.filter(pl.col("type") == "payment_reversal")
    assert returned.height > 0
    assert (returned["description"] == "Direct Debit returned unpaid").all()
    assert tx.filter(pl.col("type") == "payment_dd").height > 10 * returned.height


def test_no_charge_row_starts_after_its_tenancy_ended(folder):
    import polars as pl

    charges = pl.read_csv(folder / "charges.csv", try_parse_dates=True)
    tenancies = pl.read_csv(folder / "tenancies.csv", try_parse_dates=True)
    joined = charges.join(tenancies, on="tenancy_ref")
    bad = joined.filter(pl.col("end_date").is_not_null()
                        & (pl.col("effective_from") > pl.col("end_date")))
    assert bad.height == 0
