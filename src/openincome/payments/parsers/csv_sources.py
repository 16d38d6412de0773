"""The CSV payment files: allpay, Housing Benefit and Universal Credit schedules, and a bank
statement read through the landlord's saved column mapping."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from openincome.interchange.errors import Problems

from .common import (
    Parsed,
    check_length,
    check_required,
    derived_refs,
    normal,
    parse_date,
    parse_money,
    read_csv_columns,
    register,
)

ISO = "%Y-%m-%d"


def _check_lengths(problems: Problems, name: str, frame: pl.DataFrame,
                           headers: dict[str, str]) -> None:
    for col, limit in (("source_ref", 100), ("reference", 100), ("claim_ref", 50)):
        if col in frame.columns and col in headers:
            check_length(problems, name, frame, col, headers[col], limit)


class _CsvSource:
    """One reader for the CSV sources with fixed headers: read the named columns, let the
    source map and check its rows (`rows`), and keep nothing when any problem was found."""

    HEADERS: dict[str, str] = {}
    OPTIONAL: frozenset[str] = frozenset()

    def parse(self, path: Path, problems: Problems, mapping=None) -> Parsed | None:
        """Read the file whole; None when it has problems (all reported)."""
        h = self.HEADERS
        frame = read_csv_columns(path, problems, h, set(h) - self.OPTIONAL)
        if frame is None:
            return None
        frame = self.rows(frame, problems, path.name)
        if problems.count():
            return None
        return Parsed(normal(frame))

    def rows(self, frame: pl.DataFrame, problems: Problems, name: str) -> pl.DataFrame:
        """The source's rows checked (problems reported) and shaped as payments."""
        raise NotImplementedError


class Allpay(_CsvSource):
    """allpay's transaction file: one row per payment made with an allpay card or app."""

    name = "allpay"
    label = "allpay transaction file (CSV)"
    tx_type = "payment_allpay"
    HEADERS = {"source_ref": "Transaction ID", "reference": "Client Reference",
               "amount_text": "Amount", "date_text": "Transaction Date",
               "description": "Payment Channel"}
    OPTIONAL = frozenset({"description"})

    def rows(self, frame: pl.DataFrame, problems: Problems, name: str) -> pl.DataFrame:
        """Transaction id, reference, amount and date required; dates as 31/12/2026."""
        h = self.HEADERS
        for col in ("source_ref", "reference", "amount_text", "date_text"):
            check_required(problems, name, frame, col, h[col])
        frame = parse_money(problems, name, frame, "amount_text", h["amount_text"])
        frame = parse_date(problems, name, frame, "date_text", h["date_text"], "%d/%m/%Y",
                           "date", "31/12/2026")
        _check_lengths(problems, name, frame, h)
        return frame.with_columns(pl.lit(self.tx_type).alias("tx_type"))


class HousingBenefit(_CsvSource):
    """A council's Housing Benefit payment schedule: what it paid us for which claim and period."""

    name = "hb"
    label = "Housing Benefit payment schedule (CSV)"
    tx_type = "hb"
    HEADERS = {"claim_ref": "claim_ref", "ps_text": "period_start", "pe_text": "period_end",
               "amount_text": "amount", "date_text": "payment_date",
               "reference": "payment_reference"}
    OPTIONAL = frozenset({"reference"})

    def rows(self, frame: pl.DataFrame, problems: Problems, name: str) -> pl.DataFrame:
        """The claim's periods checked; one payment per claim and period."""
        frame = _periods(problems, name, frame, self.HEADERS)
        if problems.count():
            return frame
        return frame.with_columns(
            pl.lit(self.tx_type).alias("tx_type"),
            pl.format("HB/{}/{}/{}", "claim_ref", "period_start", "period_end").alias(
                "source_ref"),
            pl.format("Housing Benefit for {} to {}", "period_start", "period_end").alias(
                "description"),
        )


def _periods(problems: Problems, name: str, frame: pl.DataFrame,
             h: dict[str, str]) -> pl.DataFrame:
    """The checks the benefit schedules share: claim, amount, payment date and period."""
    for col in ("claim_ref", "ps_text", "pe_text", "amount_text", "date_text"):
        check_required(problems, name, frame, col, h[col])
    frame = parse_money(problems, name, frame, "amount_text", h["amount_text"])
    frame = parse_date(problems, name, frame, "date_text", h["date_text"], ISO, "date",
                       "2026-12-31")
    frame = parse_date(problems, name, frame, "ps_text", h["ps_text"], ISO, "period_start",
                       "2026-12-31")
    frame = parse_date(problems, name, frame, "pe_text", h["pe_text"], ISO, "period_end",
                       "2026-12-31")
    problems.add_frame(0, name, frame.filter(pl.col("period_end") < pl.col("period_start")),
                       h["pe_text"], "is before the period start", pl.col("pe_text"))
    _check_lengths(problems, name, frame, h)
    return frame


class UniversalCredit(_CsvSource):
    """DWP's Universal Credit schedule: managed payments of rent (APA) and third-party
    deductions for arrears (TPD), one row per claim and assessment period."""

    name = "uc"
    label = "DWP Universal Credit schedule: managed payments and deductions (CSV)"
    tx_type = "uc_direct"
    TYPES = {"apa": "uc_direct", "tpd": "tpd"}
    HEADERS = {"claim_ref": "claim_ref", "kind": "payment_type", "ps_text": "period_start",
               "pe_text": "period_end", "amount_text": "amount", "date_text": "payment_date",
               "reference": "payment_reference"}
    OPTIONAL = frozenset({"reference"})

    def rows(self, frame: pl.DataFrame, problems: Problems, name: str) -> pl.DataFrame:
        """The claim's periods checked, and each row a managed payment or a deduction."""
        frame = _periods(problems, name, frame, self.HEADERS)
        frame = frame.with_columns(pl.col("kind").str.to_lowercase())
        problems.add_frame(0, name, frame.filter(~pl.col("kind").is_in(list(self.TYPES))),
                           self.HEADERS["kind"], "must be apa (managed payment) or tpd "
                           "(deduction)", pl.col("kind"))
        if problems.count():
            return frame
        return frame.with_columns(
            pl.col("kind").replace_strict(self.TYPES).alias("tx_type"),
            pl.format("UC/{}/{}/{}", pl.col("kind").str.to_uppercase(), "claim_ref",
                      "period_start").alias("source_ref"),
            pl.format("Universal Credit {} for {} to {}",
                      pl.when(pl.col("kind") == "apa").then(pl.lit("managed payment"))
                      .otherwise(pl.lit("deduction for arrears")),
                      "period_start", "period_end").alias("description"),
        )


class BankCsv:
    """A bank statement exported as CSV, read through the landlord's saved column mapping."""

    name = "bank-csv"
    label = "bank statement (CSV, with your saved column mapping)"
    tx_type = "payment_bank"

    def parse(self, path: Path, problems: Problems, mapping=None) -> Parsed | None:
        """Read the file whole; None when it has problems (all reported)."""
        if mapping is None:
            problems.add(0, path.name, 0, "-", "a bank statement needs a saved column mapping "
                         "(openincome payments mapping --help)")
            return None
        h = {"date_text": mapping.date_column, "reference": mapping.reference_column}
        money_col = mapping.amount_column or mapping.credit_column
        h["amount_text"] = money_col
        if mapping.id_column:
            h["source_ref"] = mapping.id_column
        if mapping.description_column:
            h["description"] = mapping.description_column
        frame = read_csv_columns(path, problems, h, set(h) - {"description"})
        if frame is None:
            return None
        check_required(problems, path.name, frame, "date_text", h["date_text"])
        if mapping.id_column:
            check_required(problems, path.name, frame, "source_ref", h["source_ref"])
        frame = parse_money(problems, path.name, frame, "amount_text", money_col, signed=True)
        frame = parse_date(problems, path.name, frame, "date_text", h["date_text"],
                           mapping.date_format, "date")
        _check_lengths(problems, path.name, frame, h)
        if problems.count():
            return None
        # Money out (a debit, or an empty credit cell) is not a payment: counted, not imported.
        money_in = frame.filter(pl.col("amount").is_not_null() & (pl.col("amount") > 0))
        ignored = frame.height - money_in.height
        if not mapping.id_column:
            money_in = money_in.with_columns(derived_refs(
                money_in, ["date", "amount", "reference", *(
                    ["description"] if "description" in money_in.columns else [])], "BANK-"))
        return Parsed(normal(money_in.with_columns(pl.lit(self.tx_type).alias("tx_type"))),
                      ignored=ignored)


for _source in (Allpay(), BankCsv(), HousingBenefit(), UniversalCredit()):
    register(_source)
