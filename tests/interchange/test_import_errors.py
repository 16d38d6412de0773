"""Every validation rule: the exact `FILE:LINE: COLUMN:` message, and nothing written.

Each case starts from a database already holding the example folder and imports a broken
copy of it; the database must be exactly as before (every ledger and audit row).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from ix_helpers import append, dump, replace

from openincome.interchange import ImportFailed, import_folder, validate_folder
from openincome.ledger.limits import NOTE_MAX_LENGTH, REF_RULE
from openincome.ledger.vocab import TENURES, TRANSACTION_TYPES

TX = "transactions.csv"
NEW_TX = "T9000001,EX-0001,2026-03-02,rent,98.40,,"  # a valid new transaction (line 211)


def tx_row(**changes: str) -> Callable[[Path], None]:
    """Append a new transaction with some fields changed."""
    fields = dict(zip(
        ["transaction_ref", "tenancy_ref", "date", "type", "amount", "description",
         "period_start"],
        NEW_TX.split(","),
        strict=True,
    ))
    fields.update(changes)
    return lambda folder: append(folder / TX, ",".join(fields.values()))


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: replace(folder / name, old, new)


def add(name: str, line: str) -> Callable[[Path], None]:
    return lambda folder: append(folder / name, line)


def write(name: str, data: bytes) -> Callable[[Path], None]:
    return lambda folder: (folder / name).write_bytes(data)


def remove(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).unlink()


CASES: list[tuple[str, Callable[[Path], None], list[str]]] = [
    ("wrong date", tx_row(date="2026-02-30"),
     ["transactions.csv:211: date: not a real date (2026-02-30)"]),
    ("date in another form", tx_row(date="02/03/2026"),
     ["transactions.csv:211: date: not a date in the form YYYY-MM-DD (02/03/2026)"]),
    ("implausible year", tx_row(date="0202-03-02"),
     ["transactions.csv:211: date: year out of range (1900 to 2199) (0202-03-02)"]),
    ("negative amount", tx_row(amount="-98.40"),
     ["transactions.csv:211: amount: must not be negative; the sign comes from the type "
      "(-98.40)"]),
    ("three decimals", tx_row(amount="98.405"),
     ["transactions.csv:211: amount: has more than 2 decimal places (98.405)"]),
    ("pound sign", tx_row(amount="£98.40"),
     ["transactions.csv:211: amount: must be a number of pounds without £ (£98.40)"]),
    ("thousands separator", tx_row(amount='"1,098.40"'),
     ["transactions.csv:211: amount: must not have thousands separators (1,098.40)"]),
    ("not a number", tx_row(amount="ninety"),
     ["transactions.csv:211: amount: not an amount in pounds like 1234.56 (ninety)"]),
    ("unknown type", tx_row(type="rentt"),
     [f"transactions.csv:211: type: not one of: {', '.join(TRANSACTION_TYPES)} (rentt)"]),
    ("missing required value", tx_row(type=""),
     ["transactions.csv:211: type: required value is missing"]),
    ("duplicate transaction ref", tx_row(transaction_ref="T0000001"),
     ["transactions.csv:211: transaction_ref: duplicate of line 2 (T0000001)"]),
    ("transaction for an unknown tenancy", tx_row(tenancy_ref="EX-9999"),
     ["transactions.csv:211: tenancy_ref: unknown tenancy (not in tenancies.csv or the "
      "database) (EX-9999)"]),
    ("ref with spaces", tx_row(transaction_ref="T9000001 "),
     ["transactions.csv:211: transaction_ref: has spaces at the start or end (T9000001 )"]),
    ("row with too few fields", add(TX, "T9000001,EX-0001,2026-03-02,rent,98.40,"),
     ["transactions.csv:211: -: row has 6 fields, the header has 7"]),
    ("unknown column", edit(TX, "amount", "amout"),
     ["transactions.csv:1: amout: unknown column; did you mean amount?",
      "transactions.csv:1: amount: required column is missing"]),
    ("column twice", edit(TX, "period_start", "date"),
     ["transactions.csv:1: date: column appears more than once"]),
    ("missing required column", write("tenancies.csv", b"tenancy_ref,property_ref,start_date\n"),
     ["tenancies.csv:1: tenure: required column is missing"]),
    ("unknown tenure", edit("tenancies.csv", "EX-0001,P0001,secure", "EX-0001,P0001,council"),
     [f"tenancies.csv:2: tenure: not one of: {', '.join(TENURES)} (council)"]),
    ("tenancy for an unknown property",
     add("tenancies.csv", "EX-0004,P0009,secure,2026-01-05,,,,"),
     ["tenancies.csv:5: property_ref: unknown property (not in properties.csv or the database) "
      "(P0009)"]),
    ("duplicate tenancy ref", add("tenancies.csv", "EX-0001,P0001,secure,2025-06-02,,,,"),
     ["tenancies.csv:5: tenancy_ref: duplicate of line 2 (EX-0001)"]),
    ("end before start", add("tenancies.csv", "EX-0004,P0001,secure,2026-01-05,2026-01-04,,,"),
     ["tenancies.csv:5: end_date: is before start_date 2026-01-05 (2026-01-04)"]),
    ("effective_to before effective_from",
     add("charges.csv", "EX-0001,water,3.10,weekly,2026-04-06,2026-04-05"),
     ["charges.csv:5: effective_to: is before effective_from 2026-04-06 (2026-04-05)"]),
    ("duplicate charge", add("charges.csv", "EX-0001,rent,99.00,weekly,2025-06-02,"),
     ["charges.csv:5: effective_from: same tenancy_ref, charge_code and effective_from as "
      "line 2 (2025-06-02)"]),
    ("boolean not true/false", edit("tenants.csv", "Hughes,,,,,true", "Hughes,,,,,yes"),
     ["tenants.csv:2: is_lead: not true or false (yes)"]),
    ("personal data is not echoed", edit("tenants.csv", "Hughes", "H" * 101),
     ["tenants.csv:2: last_name: too long (at most 100 characters)"]),
    ("bad integer", edit("properties.csv", "flat,2,EAST", "flat,two,EAST"),
     ["properties.csv:2: bedrooms: not a whole number (two)"]),
    ("digits of another script", edit("properties.csv", "flat,2,EAST", "flat,٢,EAST"),
     ["properties.csv:2: bedrooms: not a whole number (٢)"]),
    ("wrong format_version", write("manifest.csv", b"format_version\r\n2\r\n"),
     ["manifest.csv:2: format_version: unsupported format version; Open Income reads 1 (2)"]),
    ("manifest with two rows", add("manifest.csv", "1,Example Homes,2026-11-23"),
     ["manifest.csv:3: -: expected exactly one data row"]),
    ("missing required file", remove("tenancies.csv"),
     ["tenancies.csv:0: -: required file is missing"]),
    ("unknown csv file", write("tenancy.csv", b"tenancy_ref\r\n"),
     ["tenancy.csv:0: -: unknown file; did you mean tenancies.csv?"]),
    ("empty file", write("notices.csv", b""),
     ["notices.csv:1: -: file is empty, expected a header row"]),
    ("not UTF-8", write("tenants.csv", b"tenancy_ref,person_ref,last_name\n"
                                       b"EX-0001,EX-0001-1,Hughes\nEX-0001,X,Mu\xf1oz\n"),
     ["tenants.csv:3: -: not valid UTF-8; save it as UTF-8 (0xf1)"]),
    ("unterminated quote", add("pauses.csv", 'EX-0002,hospital,2026-04-01,,"no end'),
     ["pauses.csv:3: -: malformed CSV: unexpected end of data"]),
    ("changed transaction", edit(TX, "T0000002,EX-0001,2025-06-06,payment_dd,98.40",
                                 "T0000002,EX-0001,2025-06-06,payment_dd,98.04"),
     ["transactions.csv:3: amount: T0000002 already exists with 98.40; transactions are never "
      "updated or deleted: a correction is a new transaction (98.04)"]),
    ("changed tenancy", edit("tenancies.csv", "2025-09-01,2026-02-27", "2025-09-01,"),
     ["tenancies.csv:4: end_date: EX-0003 has 2026-02-27 in the database; use --update to "
      "change it (empty)"]),
    ("changed tenant name", edit("tenants.csv", "Hughes", "Hughes-Smith"),
     ["tenants.csv:2: last_name: EX-0001/EX-0001-1 has a different value in the database; "
      "use --update to change it"]),
    ("other landlord", edit("manifest.csv", "Example Homes", "Other Homes"),
     ["manifest.csv:2: landlord_name: the database has Example Homes; use --update to change "
      "it (Other Homes)"]),
    # Issue 11: one character set for every ref (REF_PATTERN), every edge alike.
    ("ref with a slash", tx_row(transaction_ref="T9/000001"),
     [f"transactions.csv:211: transaction_ref: not a valid reference: {REF_RULE} (T9/000001)"]),
    ("tenancy ref with a slash", edit("tenancies.csv", "EX-0003,P0003", "EX/0003,P0003"),
     [f"tenancies.csv:4: tenancy_ref: not a valid reference: {REF_RULE} (EX/0003)"]),
    ("ref with a BEL, shown as an escape", tx_row(transaction_ref="T9000001\x07"),
     [f"transactions.csv:211: transaction_ref: not a valid reference: {REF_RULE} "
      "(T9000001\\x07)"]),
    ("payment reference with a BOM inside", edit("tenancies.csv", "PAY000003", "PAY\ufeff000003"),
     [f"tenancies.csv:4: payment_reference: not a valid reference: {REF_RULE} "
      "(PAY\\ufeff000003)"]),
    ("person ref with a zero-width space", edit("tenants.csv", "EX-0001-1", "EX-0001\u200b-1"),
     [f"tenants.csv:2: person_ref: not a valid reference: {REF_RULE} (EX-0001\\u200b-1)"]),
    ("patch code with a slash", edit("properties.csv", "flat,2,EAST", "flat,2,EA/ST"),
     [f"properties.csv:2: patch: not a valid reference: {REF_RULE} (EA/ST)"]),
    ("patch code that hides a page", edit("properties.csv", "flat,2,EAST", "flat,2,Add"),
     ["properties.csv:2: patch: is reserved: choose another (Add)"]),
    ("notice ref with a space inside", add("notices.csv", "N 1,EX-0001,nosp_secure,2026-03-02,,,,"),
     [f"notices.csv:3: notice_ref: not a valid reference: {REF_RULE} (N 1)"]),
    # Text that breaks things: NUL (PostgreSQL cannot store it), control characters, length.
    ("NUL in a description", tx_row(description="rent\x00day"),
     ["transactions.csv:211: description: contains a control or invisible character "
      "(rent\\x00day)"]),
    ("NUL in a ref", tx_row(tenancy_ref="EX-0001\x00"),
     [f"transactions.csv:211: tenancy_ref: not a valid reference: {REF_RULE} (EX-0001\\x00)"]),
    ("escape sequence in a personal column, not echoed",
     edit("tenants.csv", "Hughes", "Hug\x1b[2Jhes"),
     ["tenants.csv:2: last_name: contains a control or invisible character"]),
    ("note too long", edit("pauses.csv", "review after", "x" * (NOTE_MAX_LENGTH + 1)),
     [f"pauses.csv:2: note: too long (at most {NOTE_MAX_LENGTH} characters)"]),
    ("amount above the maximum", tx_row(amount="1000000.01"),
     ["transactions.csv:211: amount: amount must be no more than £1,000,000.00 (1000000.01)"]),
    ("charge above the maximum", add("charges.csv", "EX-0001,water,2000000.00,weekly,2026-04-06,"),
     ["charges.csv:5: amount: amount must be no more than £1,000,000.00 (2000000.00)"]),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("mutate", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_folder_is_refused_with_exact_messages_and_nothing_written(
    loaded, folder, mutate, expected
):
    mutate(folder)
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder, actor="test")
    assert [str(e) for e in failed.value.errors] == expected
    assert dump() == loaded
    assert validate_folder(folder) == failed.value.errors


@pytest.mark.django_db
def test_transactions_are_never_updated_even_with_update(loaded, folder):
    replace(folder / TX, "T0000001,EX-0001,2025-06-02,rent,98.40",
            "T0000001,EX-0002,2025-06-02,rent,98.40")
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder, update=True, actor="test")
    assert [str(e) for e in failed.value.errors] == [
        "transactions.csv:2: tenancy_ref: T0000001 already exists with EX-0001; transactions "
        "are never updated or deleted: a correction is a new transaction (EX-0002)"
    ]
    assert dump() == loaded


@pytest.mark.django_db
def test_every_problem_of_every_file_is_reported_in_file_and_line_order(loaded, folder):
    append(folder / TX, "T9000001,EX-0001,2026-13-01,rentt,1.234,,")
    replace(folder / "tenancies.csv", "EX-0002,P0002,assured", "EX-0002,P0002,")
    (folder / "manifest.csv").write_bytes(b"format_version\n3\n")
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder)
    assert [(e.file, e.line, e.column) for e in failed.value.errors] == [
        ("manifest.csv", 2, "format_version"),
        ("tenancies.csv", 3, "tenure"),
        ("transactions.csv", 211, "date"),
        ("transactions.csv", 211, "type"),
        ("transactions.csv", 211, "amount"),
    ]
    assert dump() == loaded


@pytest.mark.django_db
def test_line_numbers_are_physical_lines_after_a_value_spanning_lines(loaded, folder):
    append(folder / "pauses.csv", 'EX-0002,hospital,2026-04-01,,"two\r\nlines"')
    append(folder / "pauses.csv", "EX-0002,holiday,2026-05-01,,")
    with pytest.raises(ImportFailed) as failed:
        import_folder(folder)
    assert [str(e) for e in failed.value.errors] == [
        "pauses.csv:5: reason: not one of: breathing_space_standard, "
        "breathing_space_mental_health, bereavement, hospital, complaint, dispute, "
        "officer_discretion (holiday)"
    ]


@pytest.mark.django_db
def test_validate_folder_checks_against_the_database_without_writing(loaded, folder):
    assert validate_folder(folder) == []
    append(folder / TX, "T9000001,EX-0404,2026-03-02,rent,98.40,,")
    assert [str(e) for e in validate_folder(folder)] == [
        "transactions.csv:211: tenancy_ref: unknown tenancy (not in tenancies.csv or the "
        "database) (EX-0404)"
    ]
    assert dump() == loaded


@pytest.mark.django_db
def test_a_missing_folder_is_one_error(tmp_path):
    with pytest.raises(ImportFailed) as failed:
        import_folder(tmp_path / "nowhere")
    assert [str(e) for e in failed.value.errors] == [f"{tmp_path / 'nowhere'}:0: -: not a folder"]
