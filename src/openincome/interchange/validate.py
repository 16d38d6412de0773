"""Checking one parsed file against its spec, column by column, vectorised with Polars.

Each cell gets at most one problem (the first check it fails, most specific first). The
result keeps the raw strings for messages and typed values (pence, dates, booleans) for
comparing with the database and writing.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

import polars as pl

from openincome.ledger.limits import (
    AMOUNT_MAX_PENCE,
    AMOUNT_RULE,
    CONTROL_PATTERN,
    DATE_MAX,
    DATE_MIN,
    NOTE_MAX_LENGTH,
    REF_PATTERN,
    REF_RULE,
    RESERVED_CODES,
)

from .errors import NO_COLUMN, Problems
from .read import Table, position
from .schema import FORMAT_VERSION, MONEY_MAX_DIGITS, Column, FileSpec

# [0-9], not \d: Polars' \d also matches other scripts' digits, which no cast accepts.
MONEY_PATTERN = r"^([0-9]+)(?:\.([0-9]{1,2}))?$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
CODES_PATTERN = r"^[a-z0-9_]+(;[a-z0-9_]+)*$"
# Dates outside these years are typing slips (0202 for 2020), not data (ledger.limits).
FIRST_YEAR, LAST_YEAR = DATE_MIN.year, DATE_MAX.year
INT_MAX = 32767  # PositiveSmallIntegerField


@dataclass
class Checked:
    """A file that has been read and checked: raw strings and typed values by column name."""

    spec: FileSpec
    present: list[Column]
    raw: pl.DataFrame
    typed: pl.DataFrame
    positions: dict[str, int]

    def has(self, name: str) -> bool:
        """Whether the file has this column."""
        return name in self.positions


def check_table(spec: FileSpec, table: Table, order: int, problems: Problems) -> Checked:
    """Check the header and every cell of a parsed file; typed values where valid."""
    positions = _check_header(spec, table, order, problems)
    present = [c for c in spec.columns if c.name in positions]
    raw = table.frame.select(
        "_line", *[pl.col(position(positions[c.name])).alias(c.name) for c in present]
    )
    # Every column's messages in one pass; only columns with problems are looked at again.
    checks = {c.name: m for c in present if (m := _cell_message(spec, c)) is not None}
    messages = raw.select("_line", *[m.alias(name) for name, m in checks.items()])
    nulls = messages.null_count().row(0, named=True)
    for col in present:
        if col.name not in checks or nulls[col.name] == raw.height:
            continue
        bad = messages.select("_line", pl.col(col.name).alias("_msg"), raw[col.name]).filter(
            pl.col("_msg").is_not_null()
        )
        value = None if col.personal else pl.col(col.name)
        problems.add_frame(
            order, spec.name, bad, col.name, pl.col("_msg"), value, positions[col.name]
        )
    typed = raw.select("_line", *[_typed(col).alias(col.name) for col in present])
    _check_date_order(spec, raw, typed, order, problems, positions)
    _check_duplicates(spec, raw, order, problems, positions)
    if spec.identity == "singleton" and raw.height != 1:
        if raw.height == 0:
            problems.add(order, spec.name, 1, NO_COLUMN, "no data row; expected exactly one")
        for line in raw["_line"].to_list()[1:]:
            problems.add(order, spec.name, line, NO_COLUMN, "expected exactly one data row")
    return Checked(spec, present, raw, typed, positions)


def _check_header(spec: FileSpec, table: Table, order: int, problems: Problems) -> dict[str, int]:
    """Map column names to header positions, reporting unknown, repeated and missing ones.

    In a file with personal columns an unknown header cell is never echoed: when the header
    is missing, the first line is a tenant's data (names, phone numbers) and would be printed.
    """
    if not any(name in spec.names for name in table.header):
        problems.add(
            order,
            spec.name,
            1,
            NO_COLUMN,
            "the first line is not a header row; it must name the columns: "
            + ", ".join(spec.names),
        )
        return {}
    personal = any(c.personal for c in spec.columns)
    positions: dict[str, int] = {}
    for i, name in enumerate(table.header):
        if personal and name != "" and name not in spec.names:
            close = difflib.get_close_matches(name, spec.names, n=1)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.add(
                order,
                spec.name,
                1,
                NO_COLUMN,
                f"column {i + 1} has an unknown name{hint} (not shown: the file holds "
                "personal data)",
                None,
                i,
            )
            continue
        if name == "":
            problems.add(order, spec.name, 1, NO_COLUMN, f"column {i + 1} has no name", None, i)
        elif name in positions:
            problems.add(order, spec.name, 1, name, "column appears more than once", None, i)
        elif name not in spec.names:
            close = difflib.get_close_matches(name, spec.names, n=1)
            hint = (
                f"; did you mean {close[0]}?" if close else f"; expected: {', '.join(spec.names)}"
            )
            problems.add(order, spec.name, 1, name, "unknown column" + hint, None, i)
        else:
            positions[name] = i
    for col in spec.columns:
        if col.required and col.name not in positions:
            problems.add(order, spec.name, 1, col.name, "required column is missing", None, 10**6)
    return positions


def _cell_message(spec: FileSpec, col: Column) -> pl.Expr | None:
    """An expression giving each cell's problem (null when fine), first failing check wins."""
    s = pl.col(col.name)
    empty = s == ""
    checks: list[tuple[pl.Expr, str]] = []
    if col.required:
        checks.append((empty, "required value is missing"))
    limit = spec.max_length(col)
    if limit is None and col.kind == "text":
        limit = NOTE_MAX_LENGTH  # unbounded in the database, bounded at the edge
    if col.kind == "ref":
        checks.append((s.str.strip_chars() != s, "has spaces at the start or end"))
    if limit is not None:
        checks.append((s.str.len_chars() > limit, f"too long (at most {limit} characters)"))
    if col.kind == "ref":
        checks.append((~s.str.contains(REF_PATTERN), f"not a valid reference: {REF_RULE}"))
        if col.fk and col.fk[0] == "ledger.Patch":
            # /admin/patches/add/ would hide a patch called "add".
            checks.append(
                (s.str.to_lowercase().is_in(sorted(RESERVED_CODES)), "is reserved: choose another")
            )
    elif col.kind == "text":
        # NUL and other control or invisible characters: PostgreSQL cannot store NUL, and
        # the others hide in a value (a BOM or BEL) or act on the terminal that shows it.
        checks.append(
            (s.str.contains(CONTROL_PATTERN), "contains a control or invisible character")
        )
    if col.kind == "date":
        year = s.str.slice(0, 4).cast(pl.Int64, strict=False)
        checks += [
            (~s.str.contains(DATE_PATTERN), "not a date in the form YYYY-MM-DD"),
            (s.str.to_date("%Y-%m-%d", strict=False).is_null(), "not a real date"),
            (
                (year < FIRST_YEAR) | (year > LAST_YEAR),
                f"year out of range ({FIRST_YEAR} to {LAST_YEAR})",
            ),
        ]
    elif col.kind == "money":
        checks += [
            (s.str.starts_with("-"), "must not be negative; the sign comes from the type"),
            (s.str.contains("£", literal=True), "must be a number of pounds without £"),
            (s.str.contains(",", literal=True), "must not have thousands separators"),
            (s.str.contains(r"^[0-9]*\.[0-9]{3,}$"), "has more than 2 decimal places"),
            (~s.str.contains(MONEY_PATTERN), "not an amount in pounds like 1234.56"),
            (
                s.str.extract(r"^([0-9]+)", 1).str.len_chars() > MONEY_MAX_DIGITS,
                "amount is too large",
            ),
            # The engine sums amounts in 64 bits: a slip of a million pounds is refused here.
            (money_expr(s) > AMOUNT_MAX_PENCE, f"amount {AMOUNT_RULE}"),
        ]
    elif col.kind == "int":
        checks += [
            (~s.str.contains(r"^[0-9]+$"), "not a whole number"),
            (s.str.slice(0, 9).cast(pl.Int64, strict=False) > INT_MAX, "number is too large"),
        ]
    elif col.kind == "bool":
        checks.append((~s.is_in(["true", "false"]), "not true or false"))
    elif col.kind == "vocab":
        checks.append((~s.is_in(list(col.vocab)), f"not one of: {', '.join(col.vocab)}"))
    elif col.kind == "codes":
        checks.append((~s.str.contains(CODES_PATTERN), "not codes like mental_health;hearing"))
    elif col.kind == "version":
        checks.append(
            (s != FORMAT_VERSION, f"unsupported format version; Open Income reads {FORMAT_VERSION}")
        )
    if not checks:
        return None
    expr = None
    for i, (condition, message) in enumerate(checks):
        # Emptiness is only a problem for required columns; other checks skip empty cells.
        cond = condition if (col.required and i == 0) else (~empty & condition)
        expr = (
            pl.when(cond).then(pl.lit(message))
            if expr is None
            else expr.when(cond).then(pl.lit(message))
        )
    return expr.otherwise(pl.lit(None, dtype=pl.String))


def _typed(col: Column) -> pl.Expr:
    """The typed value of a column (null where empty or invalid); text stays text."""
    s = pl.col(col.name)
    valid = s != ""
    if col.kind == "date":
        ok = valid & s.str.contains(DATE_PATTERN)
        return pl.when(ok).then(s.str.to_date("%Y-%m-%d", strict=False))
    if col.kind == "money":
        return money_expr(s)
    if col.kind == "int":
        return pl.when(s.str.contains(r"^[0-9]{1,9}$")).then(s.cast(pl.Int64, strict=False))
    if col.kind == "bool":
        return pl.when(s == "true").then(True).when(s == "false").then(False)
    return s


def money_expr(s: pl.Expr) -> pl.Expr:
    """Integer pence from pounds text, without floats (null where not valid)."""
    whole = s.str.extract(MONEY_PATTERN, 1)
    frac = s.str.extract(MONEY_PATTERN, 2).fill_null("").str.pad_end(2, "0")
    ok = whole.is_not_null() & (whole.str.len_chars() <= MONEY_MAX_DIGITS)
    return pl.when(ok).then(whole.cast(pl.Int64) * 100 + frac.cast(pl.Int64))


def _check_date_order(
    spec: FileSpec,
    raw: pl.DataFrame,
    typed: pl.DataFrame,
    order: int,
    problems: Problems,
    positions: dict[str, int],
) -> None:
    for earlier, later in spec.date_order:
        if earlier not in positions or later not in positions:
            continue
        bad = typed.filter(pl.col(later) < pl.col(earlier)).select("_line", earlier, later)
        bad = bad.with_columns(pl.col(earlier).cast(pl.String), pl.col(later).cast(pl.String))
        problems.add_frame(
            order,
            spec.name,
            bad,
            later,
            pl.format("is before {} {}", pl.lit(earlier), pl.col(earlier)),
            pl.col(later),
            positions[later],
        )


def _check_duplicates(
    spec: FileSpec, raw: pl.DataFrame, order: int, problems: Problems, positions: dict[str, int]
) -> None:
    """Refs and natural keys are unique within a file (a multiset file may repeat rows)."""
    if spec.identity not in ("ref", "natural") or not all(k in positions for k in spec.key):
        return
    keys = list(spec.key)
    rows = raw.filter(pl.all_horizontal([pl.col(k) != "" for k in keys]))
    rows = rows.with_columns(pl.col("_line").min().over(keys).alias("_first"))
    dups = rows.filter(pl.col("_line") != pl.col("_first"))
    column = keys[-1]
    if spec.identity == "ref":
        message = pl.format("duplicate of line {}", pl.col("_first"))
    else:
        same = ", ".join(keys[:-1]) + " and " + keys[-1]
        message = pl.format("same {} as line {}", pl.lit(same), pl.col("_first"))
    problems.add_frame(order, spec.name, dups, column, message, pl.col(column), positions[column])
