"""Same arguments, same bytes; another seed, another landlord."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import polars as pl
import pytest

from openincome.simulator import core, simulate


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_writes_the_same_bytes(tmp_path):
    simulate(300, 2, 5, tmp_path / "a")
    simulate(300, 2, 5, tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert "truth/truth.csv" in a
    assert a == b


def test_another_seed_writes_another_landlord(tmp_path):
    simulate(300, 2, 5, tmp_path / "a")
    simulate(300, 2, 6, tmp_path / "b")
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["transactions.csv"] != b["transactions.csv"]
    assert a["tenants.csv"] != b["tenants.csv"]


def test_worker_processes_do_not_change_the_bytes(tmp_path, monkeypatch):
    # Several chunks: once in this process, once in two spawned workers.
    monkeypatch.setattr(core, "CHUNK", 128)
    monkeypatch.setenv("OPENINCOME_SIM_WORKERS", "1")
    simulate(250, 1, 9, tmp_path / "one")
    monkeypatch.setenv("OPENINCOME_SIM_WORKERS", "2")
    simulate(250, 1, 9, tmp_path / "two")
    assert _digests(tmp_path / "one") == _digests(tmp_path / "two")


def test_default_history_ends_on_a_fixed_date_not_today(tmp_path):
    summary = simulate(20, 2, 1, tmp_path / "x")
    assert summary.end == dt.date(2026, 11, 22)
    assert summary.start == dt.date(2024, 11, 23)
    manifest = pl.read_csv(tmp_path / "x" / "manifest.csv", infer_schema=False)
    assert manifest.row(0) == ("1", manifest["landlord_name"][0], "2026-11-22")


def test_start_runs_the_history_from_that_date(tmp_path):
    summary = simulate(30, 1, 1, tmp_path / "x", start=dt.date(2019, 3, 6))
    assert (summary.start, summary.end) == (dt.date(2019, 3, 6), dt.date(2020, 3, 5))
    tx = pl.read_csv(tmp_path / "x" / "transactions.csv", infer_schema=False)
    assert tx["date"].min() >= "2019-03-06"
    assert tx["date"].max() <= "2020-03-05"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tenancies": 0}, "--tenancies"),
        ({"years": 0}, "--years"),
        ({"seed": -1}, "--seed"),
    ],
)
def test_bad_arguments_are_refused(tmp_path, kwargs, message):
    args = {"tenancies": 10, "years": 1, "seed": 1, "out": tmp_path / "x"} | kwargs
    with pytest.raises(ValueError, match=message):
        simulate(**args)


def test_a_non_empty_out_directory_is_refused(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(ValueError, match="not empty"):
        simulate(10, 1, 1, tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
