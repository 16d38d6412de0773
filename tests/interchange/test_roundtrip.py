"""Import -> export -> import is lossless, and export is deterministic to the byte."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from ix_helpers import RICH, dump

from openincome.interchange import export_folder, import_folder, validate_folder
from openincome.interchange.export import OPTIONAL_EXTENSIONS, ExportRefused
from openincome.interchange.schema import FILES


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.django_db
def test_export_of_the_example_is_the_example_byte_for_byte(loaded, example_folder, tmp_path):
    written = export_folder(tmp_path / "out")
    out = files(tmp_path / "out")
    # The optional files (rent-free weeks, contacts) are written only when they hold rows.
    assert sorted(out) == sorted(spec.name for spec in FILES
                                 if spec.name not in OPTIONAL_EXTENSIONS)
    for name, data in files(example_folder).items():
        assert out[name] == data, name
    # Files the example lacks are written with their header only.
    assert out["court_cases.csv"].startswith(b"case_ref,tenancy_ref,claim_date,")
    assert written["agreements.csv"] == 0
    assert written["transactions.csv"] == 209


@pytest.mark.django_db
def test_rich_folder_round_trips_every_column_exactly(db, rich_folder, tmp_path):
    assert validate_folder(rich_folder) == []
    import_folder(rich_folder)
    first = tmp_path / "first"
    export_folder(first)
    # The rich folder is written as export writes, so export must give back the same bytes.
    assert files(first) == files(rich_folder)
    before = dump()
    again = import_folder(first)
    assert (again.total.new, again.total.updated) == (0, 0)
    assert again.total.unchanged == sum(len(rows) - 1 for rows in RICH.values())
    assert dump() == before
    export_folder(tmp_path / "second")
    assert files(tmp_path / "second") == files(first)


@pytest.mark.django_db
def test_export_refuses_a_non_empty_folder_unless_forced(loaded, tmp_path):
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(ExportRefused, match="is not empty; use --force"):
        export_folder(target)
    export_folder(target, force=True)
    assert (target / "keep.txt").read_text() == "mine"
    assert (target / "tenancies.csv").exists()


@pytest.mark.django_db
def test_exported_at_is_the_stored_one_unless_given(loaded, tmp_path):
    export_folder(tmp_path / "a", exported_at="2026-12-01T09:00:00Z")
    assert (tmp_path / "a" / "manifest.csv").read_text().splitlines()[1] == (
        "1,Example Homes,2026-12-01T09:00:00Z"
    )


@pytest.mark.django_db
def test_simulated_landlord_imports_reimports_and_round_trips(db, tmp_path):
    simulator = pytest.importorskip("openincome.simulator")
    out = tmp_path / "sim"
    simulator.simulate(
        tenancies=40, years=1, seed=3, out=out, start=datetime.date(2025, 1, 6), progress=False
    )
    assert validate_folder(out) == []
    first = import_folder(out)
    assert first.total.new > 1000
    assert import_folder(out).total.new == 0
    export_folder(tmp_path / "a")
    assert import_folder(tmp_path / "a").total.new == 0
    export_folder(tmp_path / "b")
    assert files(tmp_path / "a") == files(tmp_path / "b")
