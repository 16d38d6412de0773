"""CSV output: deterministic formatting of pence, dates and refs, written with Polars."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import polars as pl

from .records import CHARGE_TX, D_HB_OVERPAYMENT, DESCRIPTIONS, NULL, TX_TYPES

# Column order of each file, as INTERCHANGE.md lists them.
COLUMNS = {
    "manifest.csv": ("format_version", "landlord_name", "exported_at"),
    "rent_free_weeks.csv": ("week_start", "note"),
    "properties.csv": (
        "property_ref",
        "address_line_1",
        "address_line_2",
        "town",
        "postcode",
        "property_type",
        "bedrooms",
        "patch",
    ),
    "tenancies.csv": (
        "tenancy_ref",
        "property_ref",
        "tenure",
        "start_date",
        "end_date",
        "trial_end_date",
        "payment_reference",
        "preferred_channel",
    ),
    "tenants.csv": (
        "tenancy_ref",
        "person_ref",
        "title",
        "first_name",
        "last_name",
        "date_of_birth",
        "email",
        "mobile",
        "phone",
        "is_lead",
        "vulnerabilities",
        "language",
    ),
    "charges.csv": (
        "tenancy_ref",
        "charge_code",
        "amount",
        "frequency",
        "effective_from",
        "effective_to",
    ),
    "transactions.csv": (
        "transaction_ref",
        "tenancy_ref",
        "date",
        "type",
        "amount",
        "description",
        "period_start",
    ),
    "benefits.csv": (
        "claim_ref",
        "tenancy_ref",
        "benefit",
        "status",
        "status_date",
        "direct_to_landlord",
        "expected_amount",
        "frequency",
    ),
    "agreements.csv": (
        "agreement_ref",
        "tenancy_ref",
        "kind",
        "start_date",
        "starting_balance",
        "instalment",
        "frequency",
        "status",
    ),
    "notices.csv": (
        "notice_ref",
        "tenancy_ref",
        "kind",
        "served_date",
        "earliest_proceedings_date",
        "expiry_date",
    ),
    "court_cases.csv": (
        "case_ref",
        "tenancy_ref",
        "claim_date",
        "hearing_date",
        "outcome",
        "outcome_date",
        "possession_date",
        "terms_instalment",
        "terms_frequency",
        "warrant_date",
        "eviction_date",
    ),
    "pauses.csv": ("tenancy_ref", "reason", "start_date", "end_date", "note"),
    "promises.csv": ("promise_ref", "tenancy_ref", "made_date", "due_date", "amount", "note"),
    "actions.csv": ("tenancy_ref", "date", "code", "channel", "note"),
}
MONEY_SCALE = pl.Decimal(20, 2)
# Transaction refs: 12 digits, chunk c numbered from FIRST + c * REF_SPAN, so chunks written in
# parallel never clash and refs sort as text in posting order (gaps between chunks are fine).
FIRST_TRANSACTION_REF = 100_000_000_001
REF_SPAN = 100_000_000


def money(expr: pl.Expr) -> pl.Expr:
    """Integer pence as pounds with exactly two decimals (Decimal arithmetic, never float)."""
    return expr.cast(MONEY_SCALE) / 100


def numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """prefix + each number zero-padded to width, e.g. P000042 (works for no numbers too)."""
    numbers = np.asarray(numbers)
    if numbers.size == 0:
        return np.zeros(0, dtype=f"<U{len(prefix) + width}")
    return np.char.add(prefix, np.char.zfill(numbers.astype(str), width))


def tenancy_refs(n: int) -> np.ndarray:
    """Stable, sortable tenancy refs T0000001, T0000002, ..."""
    width = max(7, len(str(n)))
    return np.array([f"T{i + 1:0{width}d}" for i in range(n)])


def day_or_null(values: np.ndarray) -> pl.Series:
    """Day numbers as a Date column; NULL or -1 (not given) become empty."""
    s = pl.Series(np.asarray(values, dtype=np.int64))
    given = (s > NULL // 2) & (s != -1)
    return pl.select(pl.when(given).then(s).cast(pl.Int32).cast(pl.Date)).to_series()


def write(df: pl.DataFrame, path: Path) -> int:
    """Write one interchange file in its documented column order; returns its row count."""
    cols = COLUMNS.get(path.name)
    if cols is not None:
        df = df.select(cols)
    df.write_csv(path)
    return df.height


def write_transactions(
    path: Path,
    cols: dict[str, np.ndarray],
    refs: np.ndarray,
    first_day: int,
    end_day: int,
    first_ref: int,
    found: dict | None = None,
) -> int:
    """One chunk's transactions, sorted by tenancy and date (stable), as headerless CSV.

    cols["idx"] indexes `refs` (the chunk's tenancy refs). Transactions dated after the
    history are dropped. Refs run from first_ref. Returns the number of rows written; `found`
    gets the HB overpayment recoveries' rows (chunk tenancy, day, ref, pence).
    """
    # Two stable radix sorts on 16-bit keys (day, then tenancy) order rows by tenancy and date
    # and keep each day's transactions in posting order; a chunk and a history both fit.
    assert len(refs) <= 2**16 and end_day + 7 - first_day < 2**16
    by_day = np.argsort((cols["day"] - first_day).astype(np.uint16), kind="stable")
    order = by_day[np.argsort(cols["idx"][by_day].astype(np.uint16), kind="stable")]
    order = order[cols["day"][order] <= end_day]
    n = len(order)
    typ = cols["typ"][order].astype(np.int64)
    day = (cols["day"][order] - first_day).astype(np.uint32)
    # Text columns are categoricals gathered by code: no string is built row by row.
    dates = pl.Series(np.arange(first_day, end_day + 1, dtype=np.int32)).cast(pl.Date)
    dates = dates.dt.strftime("%Y-%m-%d").cast(pl.Categorical)
    charge = pl.Series(CHARGE_TX[typ])
    out = pl.DataFrame(
        {
            "transaction_ref": np.arange(first_ref, first_ref + n, dtype=np.int64),
            "tenancy_ref": pl.Series(refs).cast(pl.Categorical).gather(cols["idx"][order]),
            "date": dates.gather(day),
            "type": pl.Series(TX_TYPES).cast(pl.Categorical).gather(typ),
            "amount": pl.select(money(pl.lit(pl.Series(cols["amt"][order])))).to_series(),
            "description": pl.Series([d or None for d in DESCRIPTIONS])
            .cast(pl.Categorical)
            .gather(cols["desc"][order].astype(np.int64)),
            "period_start": dates.gather(
                pl.select(pl.when(charge).then(pl.Series(day))).to_series()
            ),
        }
    )
    out.write_csv(path, include_header=False)
    if found is not None:
        # The rows the case records name by their transaction ref (HB overpayments).
        at = np.flatnonzero(cols["desc"][order] == D_HB_OVERPAYMENT)
        found["hb_overpayments"] = {
            "t": cols["idx"][order][at].astype(np.int64), "day": cols["day"][order][at]
            .astype(np.int64), "ref": first_ref + at, "amt": cols["amt"][order][at]
            .astype(np.int64)}
    return n


def append_file(target: Path, part: Path) -> None:
    """Append a part file to target and delete it (the kernel copies; no Python buffers)."""
    with open(part, "rb") as src, open(target, "ab") as dst:
        shutil.copyfileobj(src, dst, 1 << 24)
    part.unlink()
