"""Text that breaks things at the import: CR-only files, missing headers, NUL, terminal escapes."""

from __future__ import annotations

import pytest
from ix_helpers import append, dump, replace

from openincome.cli import main
from openincome.interchange import ImportFailed, import_folder

# Every personal value of the example's tenants.csv: none may appear in an error line.
TENANT_VALUES = ("Sam", "Hughes", "Patel")


@pytest.mark.django_db
def test_a_folder_with_cr_only_line_endings_imports_every_row(folder):
    for path in folder.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    result = import_folder(folder, actor="test")
    assert result.files["transactions.csv"].new == 209
    assert result.total.new == 228  # as the CRLF original (test_interchange_cli)


@pytest.mark.django_db
def test_cr_only_file_errors_give_the_line_an_editor_shows(loaded, folder):
    path = folder / "pauses.csv"
    path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r"))
    path.write_bytes(path.read_bytes() + b"EX-0002,holiday,2026-05-01,,\r")
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder)
    assert [(e.file, e.line, e.column) for e in failed.value.errors] == [
        ("pauses.csv", 3, "reason")
    ]


@pytest.mark.django_db
def test_tenants_without_a_header_row_print_no_personal_data(loaded, folder, capsys):
    path = folder / "tenants.csv"
    path.write_bytes(b"\r\n".join(path.read_bytes().split(b"\r\n")[1:]))
    assert main(["import", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[0].startswith(
        "tenants.csv:1: -: the first line is not a header row; it must name the columns: "
        "tenancy_ref, person_ref, title,"
    )
    assert not [value for value in TENANT_VALUES if value in err]
    assert dump() == loaded


@pytest.mark.django_db
def test_an_unknown_header_name_in_a_personal_file_is_not_echoed(loaded, folder):
    # A header whose name column holds a tenant's name (a data row pasted over the header).
    replace(folder / "tenants.csv", "first_name", "Hughes")
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder)
    lines = [str(e) for e in failed.value.errors]
    assert lines == [
        "tenants.csv:1: -: column 4 has an unknown name (not shown: the file holds personal data)"
    ]


@pytest.mark.django_db
def test_a_misspelt_header_in_a_personal_file_still_gets_a_hint(loaded, folder):
    replace(folder / "tenants.csv", "first_name", "frist_name")
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder)
    assert [str(e) for e in failed.value.errors] == [
        "tenants.csv:1: -: column 4 has an unknown name; did you mean first_name? (not shown: "
        "the file holds personal data)"
    ]


@pytest.mark.django_db
def test_control_characters_in_error_lines_reach_the_terminal_as_escapes(loaded, folder, capsys):
    append(folder / "transactions.csv", "T9000001,EX-0001,2026-03-02,\x1b[2Jrent,1.00,,")
    assert main(["import", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "(\\x1b[2Jrent)" in err
