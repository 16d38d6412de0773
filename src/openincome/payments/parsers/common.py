"""What every payment file parser shares: the normal frame it returns, the registry of
sources, and vectorised cell checks that report `FILE:LINE: COLUMN: message (value)`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import polars as pl

from openincome.interchange.errors import NO_COLUMN, Problems
from openincome.interchange.read import read_table

# The columns every parser returns, one row per payment received (money in only).
NORMAL = {
    "_line": pl.Int64,
    "source_ref": pl.String,
    "date": pl.Date,
    "amount": pl.Int64,  # pence, > 0
    "reference": pl.String,
    "claim_ref": pl.String,
    "tx_type": pl.String,
    "description": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
}
# Pounds as banks and providers write them: an optional sign and £, thousands commas, pence.
MONEY = r"^(-|\+)?£?([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{1,2}))?$"
MAX_PENCE = 10**11  # £1bn: anything larger in a rent payment file is a mistake
LIMITS = {"source_ref": 100, "reference": 100, "claim_ref": 50, "description": 200}


@dataclass
class Parsed:
    """A file read whole: its payments (NORMAL columns) and what else it said."""

    frame: pl.DataFrame
    ignored: int = 0  # rows that are not money in (a bank statement's debits)
    control_total: int | None = None  # the file's own stated total of money in, if any
    notes: list[str] = field(default_factory=list)


class Source(Protocol):
    """A payment file format: reads one file, reporting every problem in it."""

    name: str
    label: str
    tx_type: str

    def parse(self, path: Path, problems: Problems, mapping=None) -> Parsed | None:
        """The file's payments, or None when it has problems (all reported)."""


REGISTRY: dict[str, Source] = {}


def register(source: Source) -> Source:
    """Add a source to the registry (keyed by its name, as `--source` takes it)."""
    REGISTRY[source.name] = source
    return source


def normal(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the NORMAL columns (missing ones empty), text cut to the limits."""
    cols = []
    for name, dtype in NORMAL.items():
        if name in frame.columns:
            expr = pl.col(name).cast(dtype)
        else:
            expr = pl.lit("" if dtype == pl.String else None, dtype=dtype)
        if name in LIMITS:
            expr = expr.fill_null("").str.strip_chars().str.slice(0, LIMITS[name])
        cols.append(expr.alias(name))
    return frame.select(cols)


def read_csv_columns(
    path: Path, problems: Problems, wanted: dict[str, str], required: set[str]
) -> pl.DataFrame | None:
    """The file's rows with the `wanted` columns (key: our name, value: header text, matched
    without regard to case or spaces at the ends) as strings, plus `_line`; extra columns are
    ignored. None when the file cannot be read or lacks a required column."""
    table = read_table(path, 0, problems)
    if table is None:
        return None
    index = {h.strip().lower(): i for i, h in enumerate(table.header)}
    picked = {}
    for ours, header in wanted.items():
        i = index.get(header.strip().lower())
        if i is None:
            if ours in required:
                problems.add(0, path.name, 1, header, "column missing from the header row")
            continue
        picked[ours] = pl.col(f"#{i}").fill_null("").str.strip_chars()
    if problems.count():
        return None
    frame = table.frame.select(pl.col("_line"), *[e.alias(k) for k, e in picked.items()])
    if frame.height == 0:
        problems.add(0, path.name, 2, NO_COLUMN, "the file has no payment rows")
        return None
    return frame


def check_required(problems: Problems, name: str, frame: pl.DataFrame, col: str,
                   header: str) -> None:
    """Report rows whose `col` is empty."""
    problems.add_frame(0, name, frame.filter(pl.col(col) == ""), header, "is required", None)


def pence(text: pl.Expr) -> pl.Expr:
    """Signed pence from pounds text (null where it is not an amount); never floats."""
    whole = text.str.extract(MONEY, 2).str.replace_all(",", "")
    frac = text.str.extract(MONEY, 3).fill_null("").str.pad_end(2, "0")
    sign = pl.when(text.str.extract(MONEY, 1) == "-").then(-1).otherwise(1)
    ok = whole.is_not_null() & (whole.str.len_chars() <= 9)
    return pl.when(ok).then(sign * (whole.cast(pl.Int64) * 100 + frac.cast(pl.Int64)))


def parse_money(problems: Problems, name: str, frame: pl.DataFrame, col: str, header: str,
                out: str = "amount", signed: bool = False) -> pl.DataFrame:
    """Add `out` (pence) parsed from `col`, reporting bad or (unless signed) non-positive ones."""
    frame = frame.with_columns(pence(pl.col(col)).alias(out))
    nonempty = pl.col(col) != ""
    problems.add_frame(0, name, frame.filter(nonempty & pl.col(out).is_null()), header,
                       "is not an amount in pounds (for example 12.50)", pl.col(col))
    if not signed:
        problems.add_frame(0, name, frame.filter(pl.col(out) <= 0), header,
                           "must be more than zero", pl.col(col))
    problems.add_frame(0, name, frame.filter(pl.col(out).abs() > MAX_PENCE), header,
                       "is too large for a rent payment", pl.col(col))
    return frame


def parse_date(problems: Problems, name: str, frame: pl.DataFrame, col: str, header: str,
               fmt: str, out: str, example: str = "") -> pl.DataFrame:
    """Add `out` (a date) parsed from the text column `col` with `fmt`, reporting the ones that
    are not dates (an empty cell gives null; check_required reports it where it matters)."""
    frame = frame.with_columns(
        pl.col(col).str.strptime(pl.Date, fmt, strict=False, exact=True).alias(out))
    bad = frame.filter((pl.col(col) != "") & pl.col(out).is_null())
    problems.add_frame(0, name, bad, header,
                       f"is not a date{f' like {example}' if example else ''}", pl.col(col))
    return frame


def check_length(problems: Problems, name: str, frame: pl.DataFrame, col: str, header: str,
                 limit: int) -> None:
    """Report values longer than the column holds."""
    problems.add_frame(0, name, frame.filter(pl.col(col).str.len_chars() > limit), header,
                       f"is longer than {limit} characters", pl.col(col))


def derived_refs(frame: pl.DataFrame, parts: list[str], prefix: str) -> pl.Series:
    """Stable source refs for rows without one: a hash of the row's content and its place among
    identical rows, so re-importing an overlapping statement finds the same refs."""
    keyed = frame.select(pl.concat_str([pl.col(p).cast(pl.String).fill_null("") for p in parts],
                                       separator="\x1f").alias("k"))
    keyed = keyed.with_columns(pl.col("k").cum_count().over("k").alias("n"))
    return pl.Series("source_ref", [
        prefix + hashlib.sha256(f"{k}\x1f{n}".encode()).hexdigest()[:24]
        for k, n in keyed.iter_rows()
    ])
