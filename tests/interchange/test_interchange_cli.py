"""`openincome import` and `openincome export` on the command line: output and exit codes."""

from __future__ import annotations

import pytest
from ix_helpers import append, dump

from openincome.cli import main


@pytest.mark.django_db
def test_import_prints_a_line_per_file_and_a_total(example_folder, capsys):
    assert main(["import", str(example_folder)]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "manifest.csv: 1 new, 0 unchanged"
    assert "transactions.csv: 209 new, 0 unchanged" in lines
    assert lines[-1] == "total: 228 new, 0 unchanged"
    assert err == ""  # no progress bar when stderr is not a terminal
    assert main(["import", str(example_folder)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "total: 0 new, 228 unchanged"


@pytest.mark.django_db
def test_import_with_problems_exits_2_and_lists_them(loaded, folder, capsys):
    append(folder / "transactions.csv", "T9000001,EX-0001,2026-03-02,rent,-1.00,,")
    assert main(["import", str(folder)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "transactions.csv:211: amount: must not be negative; the sign comes from the type (-1.00)",
        f"openincome import: nothing imported: 1 problem in {folder}",
    ]
    assert dump() == loaded


@pytest.mark.django_db
def test_at_most_100_problems_then_a_count(loaded, folder, capsys):
    for i in range(2_450):
        append(folder / "transactions.csv", f"T9{i:06d},EX-0001,2026-03-02,rent,1.234,,")
    assert main(["import", str(folder)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 102
    assert err[0] == "transactions.csv:211: amount: has more than 2 decimal places (1.234)"
    assert err[99].startswith("transactions.csv:310: amount:")
    assert err[100] == "... and 2,350 more problems"
    assert err[101] == f"openincome import: nothing imported: 2,450 problems in {folder}"
    assert dump() == loaded


@pytest.mark.django_db
def test_update_flag_allows_changes(loaded, folder, capsys):
    path = folder / "tenancies.csv"
    path.write_text(path.read_text().replace("PAY000001,letter", "PAY000001,email"))
    assert main(["import", str(folder)]) == 2
    assert main(["import", str(folder), "--update"]) == 0
    assert "tenancies.csv: 0 new, 2 unchanged, 1 updated" in capsys.readouterr().out


@pytest.mark.django_db
def test_export_writes_the_folder_and_refuses_to_overwrite(loaded, tmp_path, capsys):
    target = tmp_path / "out"
    assert main(["export", str(target)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "manifest.csv: 1 row"
    assert "transactions.csv: 209 rows" in out
    assert main(["export", str(target)]) == 2
    assert "is not empty; use --force" in capsys.readouterr().err
    assert main(["export", str(target), "--force"]) == 0


def test_help_describes_the_options(capsys):
    assert main(["import", "--help"]) == 0
    assert "--update" in capsys.readouterr().out


@pytest.mark.django_db
def test_progress_bars_go_to_stderr_on_a_terminal(example_folder, capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert main(["import", str(example_folder)]) == 0
    out, err = capsys.readouterr()
    assert "checking" in err
    assert "writing" in err
    assert "checking" not in out
