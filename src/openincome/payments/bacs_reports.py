"""The Bacs reports a service user receives, read whole before anything changes:
ARUDD (collections the payer's bank returned unpaid) and ADDACS (mandates the payer's bank
cancelled or amended). XML in the shape of the Bacs reports; samples in docs/payments/.

Read with the standard library's expat like camt.053: a DOCTYPE or entity declaration is
refused before parsing.
"""

from __future__ import annotations

import datetime
import re
import xml.parsers.expat as expat
from dataclasses import dataclass
from pathlib import Path

from openincome.interchange.errors import NO_COLUMN, Error

from .parsers.camt053 import _local, _tree

# ARUDD return codes, as the officer reads them.
RETURN_REASONS = {
    "0": "refer to payer", "1": "instruction cancelled", "2": "payer deceased",
    "3": "account transferred", "5": "no account", "6": "no instruction",
    "7": "amount differs", "8": "amount not yet due", "9": "presentation overdue",
    "A": "service user differs", "B": "account closed",
}
# ADDACS reason codes: the payer moved their account (new details given) or amended it.
ADDACS_AMENDED = {"3": "account transferred", "C": "account transferred to a new bank",
                  "E": "instruction amended"}
ADDACS_CANCELLED = {
    "0": "instruction cancelled by the payer's bank", "1": "instruction cancelled by the "
    "payer", "2": "payer deceased", "B": "account closed", "D": "advance notice disputed",
    "G": "bank will not accept Direct Debits on this account", "H": "instruction has expired",
    "K": "instruction cancelled by the payer's bank", "M": "mandate expired",
    "N": "instruction cancelled (no reason given)", "O": "instruction cancelled",
    "P": "instruction cancelled", "Q": "instruction cancelled", "R": "instruction cancelled",
    "F": "invalid account type",
}
AMOUNT = re.compile(r"^[0-9]{1,9}\.[0-9]{2}$")


@dataclass(frozen=True)
class Returned:
    """One ARUDD item: a collection returned unpaid."""

    line: int
    reference: str
    amount: int
    original_processing: datetime.date | None
    code: str
    reason: str


@dataclass(frozen=True)
class Advice:
    """One ADDACS item: a mandate cancelled, or its account details amended."""

    line: int
    reference: str
    code: str
    reason: str
    effective: datetime.date
    amended: bool
    new_sort_code: str = ""
    new_account_number: str = ""


def _date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def read_report(path: Path, kind: str) -> tuple[datetime.date | None, list, list[Error]]:
    """The report's processing date, its items and every problem (items only if none)."""
    name, data = path.name, path.read_bytes()
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None, [], [Error(name, 1, NO_COLUMN, "DOCTYPE and entity declarations are not "
                                "allowed in a Bacs report")]
    try:
        root, lines = _tree(data)
    except expat.ExpatError as exc:
        return None, [], [Error(name, exc.lineno, NO_COLUMN, "not well-formed XML: "
                                f"{expat.errors.messages.get(exc.code, exc)}")]
    want = {"arudd": ("ARUDD", "ReturnedDebitItem"),
            "addacs": ("MessagingAdvices", "MessagingAdvice")}[kind]
    if _local(root.tag) != "BACSDocument" or not any(_local(e.tag) == want[0]
                                                     for e in root.iter()):
        return None, [], [Error(name, 1, NO_COLUMN, f"not an {kind.upper()} report (no "
                                f"BACSDocument/{want[0]})")]
    header = next((e for e in root.iter() if _local(e.tag) in ("Header", "MessagingHeader")),
                  None)
    processed = _date(header.get("currentProcessingDate", "")) if header is not None else None
    errors: list[Error] = []
    items = []
    for element in (e for e in root.iter() if _local(e.tag) == want[1]):
        line = lines[element]

        def bad(attr: str, message: str, line=line) -> None:
            errors.append(Error(name, line, attr, message))

        if kind == "arudd":
            ref, value = element.get("ref", "").strip(), element.get("valueOf", "")
            code = element.get("returnCode", "").strip()
            original = element.get("originalProcessingDate", "")
            if not ref:
                bad("ref", "the collection's reference is missing")
            if not AMOUNT.match(value):
                bad("valueOf", "the amount is pounds and pence, for example 98.40")
            if original and _date(original) is None:
                bad("originalProcessingDate", "not a date (YYYY-MM-DD)")
            reason = element.get("returnDescription", "").strip().lower() or \
                RETURN_REASONS.get(code, "")
            if not reason:
                bad("returnCode", "an unknown return code with no description")
            if AMOUNT.match(value):
                items.append(Returned(line, ref.upper(), int(value.replace(".", "")),
                                      _date(original) if original else None, code, reason))
        else:
            ref, code = element.get("reference", "").strip(), element.get("reason-code", "")
            effective = _date(element.get("effective-date", "")) or processed
            new_sort = element.get("payer-new-sort-code", "").strip()
            new_account = element.get("payer-new-account-number", "").strip()
            if not ref:
                bad("reference", "the mandate's reference is missing")
            if effective is None:
                bad("effective-date", "not a date (YYYY-MM-DD)")
            amended = code in ADDACS_AMENDED
            if not amended and code not in ADDACS_CANCELLED:
                bad("reason-code", "not an ADDACS reason code")
            if amended and not (re.fullmatch(r"[0-9]{6}", new_sort)
                                and re.fullmatch(r"[0-9]{8}", new_account)):
                bad("payer-new-account-number", "an amendment needs the new 6-digit sort "
                    "code and 8-digit account number")
            reason = (ADDACS_AMENDED.get(code) or ADDACS_CANCELLED.get(code, ""))
            items.append(Advice(line, ref.upper(), code, reason, effective or datetime.date.min,
                                amended, new_sort, new_account))
    if not items and not errors:
        errors.append(Error(name, 1, NO_COLUMN, "the report has no items"))
    return processed, items, errors
