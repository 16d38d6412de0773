"""Every file the simulator writes follows INTERCHANGE.md and imports without an error."""

from __future__ import annotations

import polars as pl
import pytest
from simulator_testkit import check_folder, read, simulated


@pytest.fixture(scope="module")
def folder():
    return simulated(400, 3, 11)


def test_the_folder_passes_a_strict_check_of_the_format(folder):
    assert check_folder(folder) == []


def test_every_file_of_the_format_is_written(folder):
    names = {p.name for p in folder.iterdir() if p.is_file()}
    assert names == {
        "manifest.csv",
        "rent_free_weeks.csv",
        "properties.csv",
        "tenancies.csv",
        "tenants.csv",
        "charges.csv",
        "transactions.csv",
        "benefits.csv",
        "agreements.csv",
        "notices.csv",
        "court_cases.csv",
        "pauses.csv",
        "promises.csv",
        "actions.csv",
        "verifications.csv",
        "payment_requests.csv",
        "dhp_applications.csv",
    }
    assert (folder / "truth" / "truth.csv").is_file()


def test_money_always_has_two_decimals_and_no_sign(folder):
    for name, cols in {
        "transactions.csv": ["amount"],
        "charges.csv": ["amount"],
        "agreements.csv": ["starting_balance", "instalment"],
        "benefits.csv": ["expected_amount"],
        "court_cases.csv": ["terms_instalment"],
    }.items():
        df = read(folder, name)
        for col in cols:
            values = df[col].drop_nulls()
            assert values.str.contains(r"^\d+\.\d\d$").all(), (name, col)


def test_refs_are_stable_and_sortable(folder):
    ten = read(folder, "tenancies.csv")
    assert ten["tenancy_ref"].str.contains(r"^T\d{7}$").all()
    assert ten["tenancy_ref"].to_list() == sorted(ten["tenancy_ref"].to_list())
    props = read(folder, "properties.csv")
    assert props["property_ref"].str.contains(r"^P\d{6}$").all()
    people = read(folder, "tenants.csv")
    assert (people["person_ref"].str.replace(r"-\d$", "") == people["tenancy_ref"]).all()
    assert people.filter(pl.col("is_lead") == "true")["tenancy_ref"].n_unique() == ten.height


def test_the_mix_looks_like_a_social_landlord(folder):
    ten = read(folder, "tenancies.csv")
    tenure = ten["tenure"].value_counts()
    share = dict(zip(tenure["tenure"], tenure["count"] / ten.height, strict=True))
    assert share["secure"] + share["assured"] > 0.6
    assert share.get("garage", 0) > 0.03
    tenants = read(folder, "tenants.csv").filter(pl.col("is_lead") == "true")
    vulnerable = tenants["vulnerabilities"].is_not_null().mean()
    assert 0.08 < vulnerable < 0.2
    assert read(folder, "tenants.csv").filter(pl.col("is_lead") == "false").height > 0


@pytest.mark.django_db
def test_the_importer_finds_no_problem(folder):
    api = pytest.importorskip("openincome.interchange.api")
    errors = api.validate_folder(folder)
    assert [str(e) for e in errors][:20] == []


@pytest.mark.django_db
def test_a_small_landlord_imports_completely(tmp_path):
    api = pytest.importorskip("openincome.interchange.api")
    from openincome.simulator import simulate

    simulate(60, 1, 2, tmp_path / "small")
    result = api.import_folder(tmp_path / "small", actor="test")
    tx = read(tmp_path / "small", "transactions.csv")
    assert result.files["transactions.csv"].new == tx.height
