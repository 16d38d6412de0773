"""`openincome simulate` as a Django management command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("simulate", *args, stdout=out)
    return out.getvalue()


def test_writes_the_folder_and_says_what(tmp_path):
    text = _run("--tenancies", "60", "--years", "1", "--seed", "4", "--out", str(tmp_path / "x"))
    assert "transactions.csv:" in text
    assert (tmp_path / "x" / "tenancies.csv").is_file()
    assert (tmp_path / "x" / "truth" / "truth.csv").is_file()


def test_report_prints_the_realism_figures(tmp_path):
    text = _run(
        "--tenancies",
        "60",
        "--years",
        "1",
        "--seed",
        "4",
        "--out",
        str(tmp_path / "x"),
        "--start",
        "2022-01-03",
        "--report",
    )
    assert "Realism report as of 2023-01-02" in text
    assert "collection rate" in text


@pytest.mark.parametrize(
    "args",
    [
        ["--tenancies", "0", "--years", "1", "--seed", "1"],
        ["--tenancies", "10", "--years", "0", "--seed", "1"],
        ["--tenancies", "10", "--years", "1", "--seed", "-3"],
    ],
)
def test_bad_numbers_exit_2(tmp_path, args):
    with pytest.raises(CommandError) as err:
        _run(*args, "--out", str(tmp_path / "x"))
    assert err.value.returncode == 2
    assert not (tmp_path / "x").exists()


def test_a_non_empty_out_directory_exits_2(tmp_path):
    (tmp_path / "old.csv").write_text("x")
    with pytest.raises(CommandError, match="not empty") as err:
        _run("--tenancies", "10", "--years", "1", "--seed", "1", "--out", str(tmp_path))
    assert err.value.returncode == 2


def test_a_bad_start_date_is_refused(tmp_path):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _run(
            "--tenancies",
            "10",
            "--years",
            "1",
            "--seed",
            "1",
            "--out",
            str(tmp_path / "x"),
            "--start",
            "23/11/2026",
        )
