"""ISO 20022 camt.053 (bank-to-customer statement) XML: the credits booked to our account.

Read with the standard library. A file declaring a DOCTYPE or entities is refused before it is
parsed (no entity expansion, no external fetches), so defusedxml is not needed.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from pathlib import Path

import polars as pl

from openincome.interchange.errors import NO_COLUMN, Problems

from .common import MAX_PENCE, Parsed, derived_refs, normal, register

AMOUNT = re.compile(r"^[0-9]{1,9}(\.[0-9]{1,2})?$")


def _tree(data: bytes) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The document's tree and the line each element starts on (expat, no DTD processing)."""
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate(namespace_separator="}")

    def start(tag, attrs):
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    parser.StartElementHandler = start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.data
    parser.Parse(data, True)
    return builder.close(), lines


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _find(element: ET.Element | None, path: str) -> ET.Element | None:
    """The first descendant along a slash path of local names (any namespace)."""
    if element is None:
        return None
    current = [element]
    for step in path.split("/"):
        current = [c for e in current for c in e if _local(c.tag) == step]
        if not current:
            return None
    return current[0]


def _findall(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if _local(c.tag) == name]


def _text(element: ET.Element | None, path: str) -> str:
    found = _find(element, path) if path else element
    return (found.text or "").strip() if found is not None else ""


class Camt053:
    """A camt.053 statement (any 001.xx version): booked credits become payments."""

    name = "camt053"
    label = "bank statement in ISO 20022 camt.053 XML"
    tx_type = "payment_bank"

    def parse(self, path: Path, problems: Problems, mapping=None) -> Parsed | None:
        """Read the file whole; None when it has problems (all reported)."""
        data = path.read_bytes()
        name = path.name
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            problems.add(0, name, 1, NO_COLUMN, "DOCTYPE and entity declarations are not "
                         "allowed in a camt.053 file")
            return None
        try:
            root, lines = _tree(data)
        except expat.ExpatError as exc:
            problems.add(0, name, exc.lineno, NO_COLUMN,
                         f"not well-formed XML: {expat.errors.messages.get(exc.code, exc)}")
            return None
        statements = [s for s in root.iter() if _local(s.tag) == "Stmt"]
        if _local(root.tag) != "Document" or not statements:
            problems.add(0, name, 1, NO_COLUMN, "not a camt.053 statement (no Document/"
                         "BkToCstmrStmt/Stmt)")
            return None
        rows: list[dict] = []
        ignored = 0
        control = None
        for stmt in statements:
            total = _find(stmt, "TxsSummry/TtlCdtNtries/Sum")
            if total is not None:
                value = _amount(total.text, problems, name, lines[total], "TtlCdtNtries")
                control = (control or 0) + (value or 0)
            for entry in _findall(stmt, "Ntry"):
                line = lines[entry]
                status = _text(entry, "Sts") or _text(entry, "Sts/Cd")
                if _text(entry, "CdtDbtInd") != "CRDT" or status not in ("BOOK", ""):
                    ignored += 1
                    continue
                rows.extend(self._entry(entry, line, lines, problems, name))
        if problems.count():
            return None
        frame = pl.DataFrame(rows, schema={
            "_line": pl.Int64, "source_ref": pl.String, "date": pl.Date, "amount": pl.Int64,
            "reference": pl.String, "description": pl.String}, orient="row")
        if frame.height == 0:
            problems.add(0, name, 0, NO_COLUMN, "the statement has no booked credit entries")
            return None
        missing = frame.filter(pl.col("source_ref") == "")
        if missing.height:
            refs = derived_refs(missing, ["date", "amount", "reference", "description"],
                                "CAMT-")
            frame = pl.concat([frame.filter(pl.col("source_ref") != ""),
                               missing.with_columns(refs)]).sort("_line")
        if control is not None and control != frame["amount"].sum():
            problems.add(0, name, lines[_find(statements[0], "TxsSummry")] if _find(
                statements[0], "TxsSummry") is not None else 0, "TtlCdtNtries/Sum",
                "the statement's total of credits does not match its booked credit entries",
                f"{control / 100:.2f} stated, {frame['amount'].sum() / 100:.2f} in entries")
            return None
        return Parsed(normal(frame.with_columns(pl.lit(self.tx_type).alias("tx_type"))),
                      ignored=ignored, control_total=control)

    def _entry(self, entry: ET.Element, line: int, lines: dict, problems: Problems,
               name: str) -> list[dict]:
        """One row per transaction of the entry that has its own amount, else the entry."""
        amt = _find(entry, "Amt")
        if amt is None:
            problems.add(0, name, line, "Ntry/Amt", "is required")
            return []
        if amt.get("Ccy", "GBP") != "GBP":
            problems.add(0, name, lines[amt], "Ntry/Amt", "only pounds (GBP) are accepted",
                         amt.get("Ccy"))
        date_text = (_text(entry, "BookgDt/Dt") or _text(entry, "BookgDt/DtTm")[:10]
                     or _text(entry, "ValDt/Dt"))
        try:
            date = datetime.date.fromisoformat(date_text)
        except ValueError:
            problems.add(0, name, line, "Ntry/BookgDt", "is not a date like 2026-12-31",
                         date_text)
            return []
        entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef")
        details = [t for d in _findall(entry, "NtryDtls") for t in _findall(d, "TxDtls")]
        with_amount = [t for t in details if _find(t, "Amt") is not None
                       or _find(t, "AmtDtls/TxAmt/Amt") is not None]
        parts = with_amount if len(with_amount) > 1 else [None]
        rows = []
        for i, tx in enumerate(parts):
            source = tx if tx is not None else (details[0] if details else None)
            amount_el = amt if tx is None else (_find(tx, "Amt") or _find(tx, "AmtDtls/TxAmt/Amt"))
            pence = _amount(amount_el.text, problems, name, lines[amount_el], "Amt")
            if pence is None:
                continue
            ref = _text(source, "Refs/AcctSvcrRef") if source is not None else ""
            if not ref and entry_ref:
                ref = entry_ref if tx is None else f"{entry_ref}/{i + 1}"
            end_to_end = _text(source, "Refs/EndToEndId") if source is not None else ""
            end_to_end = "" if end_to_end == "NOTPROVIDED" else end_to_end
            remittance = " ".join(
                (u.text or "").strip() for u in (source.iter() if source is not None else [])
                if _local(u.tag) == "Ustrd")
            structured = _text(source, "RmtInf/Strd/CdtrRefInf/Ref") if source is not None else ""
            rows.append({
                "_line": lines[source] if source is not None else line,
                "source_ref": ref[:100],
                "date": date,
                "amount": pence,
                "reference": (structured or remittance or end_to_end)[:100],
                "description": (_text(entry, "AddtlNtryInf")
                                or (_text(source, "RltdPties/Dbtr/Nm") if source is not None
                                    else ""))[:200],
            })
        return rows


def _amount(text: str | None, problems: Problems, name: str, line: int,
            column: str) -> int | None:
    value = (text or "").strip()
    if not AMOUNT.match(value):
        problems.add(0, name, line, column, "is not an amount in pounds (for example 12.50)",
                     value)
        return None
    whole, _, frac = value.partition(".")
    pence = int(whole) * 100 + int(frac.ljust(2, "0") or 0)
    if pence <= 0 or pence > MAX_PENCE:
        problems.add(0, name, line, column, "must be more than zero", value)
        return None
    return pence


register(Camt053())
