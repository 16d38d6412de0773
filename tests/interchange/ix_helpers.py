"""Helpers for the interchange tests: a database dump, file edits and a rich folder."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from django.apps import apps


def dump() -> list[tuple[str, list[tuple]]]:
    """Every row of every table an import writes (history included), to compare before/after."""
    tables = []
    labels = ("ledger", "audit", "agreements", "legal", "benefits")
    models = [m for label in labels for m in apps.get_app_config(label).get_models()]
    case_models = [apps.get_model("cases", name) for name in ("Contact", "Pause")]
    for model in [*models, *[m for c in case_models for m in (c, c.history.model)]]:
        rows = sorted(model.objects.order_by().values_list(), key=repr)
        tables.append((model._meta.label, rows))
    return tables


def replace(path: Path, old: str, new: str) -> None:
    """Replace one exact piece of a file's text (which must be there)."""
    text = path.read_bytes().decode("utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))


def append(path: Path, line: str) -> None:
    """Add one CRLF-terminated line at the end of a file."""
    with path.open("ab") as f:
        f.write((line + "\r\n").encode("utf-8"))


def csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("utf-8")


# A folder using every file and column, in the exact form export writes (sorted by key,
# two-decimal money, CRLF, quotes only where needed), so export must give the same bytes.
RICH = {
    "manifest.csv": [
        ["format_version", "landlord_name", "exported_at"],
        ["1", "Ríverside Homes, Ltd", "2026-11-23T10:00:00+00:00"],
    ],
    "properties.csv": [
        ["property_ref", "address_line_1", "address_line_2", "town", "postcode",
         "property_type", "bedrooms", "patch"],
        ["R-001", "Flat 1, Mill Tower", "1 Mill Grove", "Elderstow", "OI1 0AJ", "flat", "0",
         "NORTH"],
        ["R-002", '2 "The Old Forge"', "", "", "OI1 0AK", "", "", "SOUTH"],
        ["R-003", "Garage 7", "", "Elderstow", "OI1 0AL", "garage", "", "NORTH"],
    ],
    "tenancies.csv": [
        ["tenancy_ref", "property_ref", "tenure", "start_date", "end_date", "trial_end_date",
         "payment_reference", "preferred_channel"],
        ["RT-1", "R-001", "secure", "2019-04-01", "", "", "PAY1", "email"],
        ["RT-2", "R-002", "starter", "2024-02-05", "2026-03-01", "2025-08-05", "", ""],
        ["RT-3", "R-003", "garage", "2020-01-06", "2020-01-06", "", "PAY3", "sms"],
    ],
    "tenants.csv": [
        ["tenancy_ref", "person_ref", "title", "first_name", "last_name", "date_of_birth",
         "email", "mobile", "phone", "is_lead", "vulnerabilities", "language",
         "vulnerability_note"],
        ["RT-1", "A", "Ms", "Zoë", "O'Brien-Łukasz", "1961-02-28", "zoe@example.org",
         "07700900001", "", "true", "mental_health;hearing;other", "Polish",
         "Carer for a parent"],
        ["RT-1", "B", "", "", "Smith", "", "", "", "01632960000", "false", "", "", ""],
        ["RT-2", "A", "", "Li", "Wei", "", "", "", "", "", "", "", ""],
    ],
    "charges.csv": [
        ["tenancy_ref", "charge_code", "amount", "frequency", "effective_from",
         "effective_to"],
        ["RT-1", "rent", "98.40", "weekly", "2019-04-01", "2025-03-30"],
        ["RT-1", "rent", "101.35", "weekly", "2025-03-31", ""],
        ["RT-1", "service", "0.05", "weekly", "2019-04-01", ""],
        ["RT-2", "rent", "450.00", "monthly", "2024-02-05", "2026-03-01"],
        ["RT-3", "garage", "12.50", "four_weekly", "2020-01-06", ""],
    ],
    "transactions.csv": [
        ["transaction_ref", "tenancy_ref", "date", "type", "amount", "description",
         "period_start"],
        ["X-0001", "RT-1", "2025-03-31", "rent", "101.35", "", "2025-03-31"],
        ["X-0002", "RT-1", "2025-04-02", "payment_dd", "101.35", "Direct Debit, thank you", ""],
        ["X-0003", "RT-1", "2025-04-03", "adjustment_credit", "0.01", 'Said "sorry"', ""],
        ["X-0004", "RT-2", "2025-04-01", "hb", "999999.99", "Line one\nline two", ""],
        ["X-0005", "RT-2", "2025-04-01", "court_costs", "0.00", "", ""],
        ["X-0006", "RT-3", "2020-01-06", "write_off", "12.50", "", ""],
    ],
    "benefits.csv": [
        ["claim_ref", "tenancy_ref", "benefit", "status", "status_date", "direct_to_landlord",
         "expected_amount", "frequency"],
        ["C-1", "RT-1", "uc", "in_payment", "2025-01-10", "true", "404.96", "monthly"],
        ["C-2", "RT-2", "hb", "awaiting", "2025-02-01", "", "", ""],
        ["C-3", "RT-2", "hb", "ended", "2024-12-01", "false", "0.00", "weekly"],
    ],
    "agreements.csv": [
        ["agreement_ref", "tenancy_ref", "kind", "start_date", "starting_balance", "instalment",
         "frequency", "status", "lump_sum", "note", "end_date", "end_reason"],
        ["AG-1", "RT-1", "informal", "2025-01-06", "640.00", "5.00", "weekly", "live",
         "", "", "", ""],
        ["AG-2", "RT-1", "informal", "2024-06-03", "700.00", "10.00", "monthly", "cancelled",
         "50.00", "Agreed on a home visit", "2025-01-06", "Replaced by AG-1: lower income"],
    ],
    "notices.csv": [
        ["notice_ref", "tenancy_ref", "kind", "served_date", "earliest_proceedings_date",
         "expiry_date", "method", "deemed_service_date"],
        ["N-1", "RT-1", "nosp_secure", "2025-05-01", "2025-06-01", "2026-06-01", "post",
         "2025-05-05"],
        ["N-2", "RT-2", "section_8", "2025-05-02", "", "", "", ""],
    ],
    "court_cases.csv": [
        ["case_ref", "tenancy_ref", "claim_date", "hearing_date", "outcome", "outcome_date",
         "possession_date", "terms_instalment", "terms_frequency", "warrant_date",
         "eviction_date", "court_name", "hearing_place"],
        ["CC-1", "RT-1", "2025-07-01", "2025-08-12", "spo", "2025-08-12", "2025-09-09",
         "7.50", "weekly", "", "", "County Court at Exeter", "Court 2, 10am"],
        ["CC-2", "RT-2", "2025-07-02", "", "", "", "", "", "", "", "", "", ""],
    ],
    "pauses.csv": [
        ["tenancy_ref", "reason", "start_date", "end_date", "note"],
        ["RT-1", "breathing_space_standard", "2025-06-01", "2025-07-31", "Ref BS-123, moratorium"],
        ["RT-1", "complaint", "2025-06-01", "", ""],
        ["RT-2", "hospital", "2025-01-01", "2025-01-01", ""],
    ],
    "promises.csv": [
        ["promise_ref", "tenancy_ref", "made_date", "due_date", "amount", "note"],
        ["PR-1", "RT-1", "2025-05-02", "2025-05-09", "25.00", "Will pay from wages, Friday"],
        ["PR-2", "RT-1", "2025-05-02", "2025-05-02", "0.01", ""],
    ],
    "actions.csv": [
        ["tenancy_ref", "date", "code", "channel", "note"],
        ["RT-1", "2025-04-10", "reminder_sent", "sms", ""],
        ["RT-1", "2025-04-10", "contact_attempted", "phone", "No answer"],
        ["RT-1", "2025-04-10", "contact_attempted", "phone", "No answer"],
        ["RT-1", "2025-04-11", "note", "", "Said: \"I'll pay Friday\",\nthen hung up"],
        ["RT-1", "2025-04-11", "hearing_pack_prepared", "", ""],
        ["RT-1", "2025-04-12", "order_breach_letter_sent", "letter", ""],
        ["RT-2", "2025-04-10", "letter_1_sent", "letter", ""],
    ],
    # Two identical unanswered calls on one day are two contacts, not one.
    "contacts.csv": [
        ["tenancy_ref", "date", "channel", "direction", "outcome", "note", "officer",
         "callback_date"],
        ["RT-1", "2025-04-10", "phone", "outbound", "no_answer", "", "olly.officer", ""],
        ["RT-1", "2025-04-10", "phone", "outbound", "no_answer", "", "olly.officer", ""],
        ["RT-1", "2025-04-11", "phone", "inbound", "spoke_to_tenant",
         "Said: \"I'll pay Friday\",\nthen hung up", "olly.officer", "2025-04-18"],
        ["RT-2", "2025-04-12", "visit", "outbound", "left_message", "Card through the door",
         "tess_leader", ""],
    ],
}


def write_rich(target: Path) -> Path:
    """Write the rich folder into target (created)."""
    target.mkdir(parents=True, exist_ok=True)
    for name, rows in RICH.items():
        (target / name).write_bytes(csv_bytes(rows))
    return target
