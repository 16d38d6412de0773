"""Problems found in an interchange folder, collected cheaply and reported in file/line order.

Checks run vectorised over whole columns, so problems arrive as Polars frames of failing rows;
they become `Error` objects only once, at the end, sorted by file order, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from openincome.ledger.limits import printable

# Errors printed before the count line, as INTERCHANGE.md asks.
PRINT_LIMIT = 100
# Values echoed in messages are cut to this length (long notes help nobody in an error line).
VALUE_WIDTH = 60
# `column` for problems that belong to a file or a row rather than one column.
NO_COLUMN = "-"

_SCHEMA = {
    "order": pl.Int64,
    "file": pl.String,
    "line": pl.Int64,
    "col_order": pl.Int64,
    "column": pl.String,
    "message": pl.String,
    "value": pl.String,
}


@dataclass(frozen=True, order=True)
class Error:
    """One problem: `FILE:LINE: COLUMN: what is wrong (value given)`.

    LINE is the 1-based physical line (the header is line 1); 0 means the file as a whole
    (a missing or unknown file). `value` is None when it is not shown (personal data).
    """

    file: str
    line: int
    column: str
    message: str
    value: str | None = None

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.column}: {self.message}"
        text = text if self.value is None else f"{text} ({self.value})"
        # A value or column name may hold control characters: shown as escapes, never raw.
        return printable(text)


class ImportFailed(Exception):
    """The folder has problems; nothing was written."""

    def __init__(self, errors: list[Error]):
        self.errors = errors
        super().__init__(f"{len(errors):,} problem{'s' if len(errors) != 1 else ''} found")


def report_lines(errors: list[Error], limit: int = PRINT_LIMIT) -> list[str]:
    """The lines to print: at most `limit` errors, then a count of the rest."""
    lines = [str(e) for e in errors[:limit]]
    rest = len(errors) - limit
    if rest > 0:
        lines.append(f"... and {rest:,} more problem{'s' if rest != 1 else ''}")
    return lines


def shown(value: str | None) -> str | None:
    """A value as echoed in a message: cut to VALUE_WIDTH characters."""
    if value is None or len(value) <= VALUE_WIDTH:
        return value
    return value[: VALUE_WIDTH - 1] + "…"


class Problems:
    """Collects problems from scalar and vectorised checks across every file."""

    def __init__(self) -> None:
        self._frames: list[tuple[int, pl.DataFrame]] = []
        self._rows: list[dict] = []

    def add(
        self,
        order: int,
        file: str,
        line: int,
        column: str,
        message: str,
        value: str | None = None,
        col_order: int = -1,
    ) -> None:
        """Record one problem."""
        self._rows.append(
            {
                "order": order,
                "file": file,
                "line": line,
                "col_order": col_order,
                "column": column,
                "message": message,
                "value": shown(value),
            }
        )

    def add_frame(
        self,
        order: int,
        file: str,
        frame: pl.DataFrame,
        column: str,
        message: str | pl.Expr,
        value: pl.Expr | None,
        col_order: int = -1,
    ) -> None:
        """Record one problem per row of `frame` (which has `_line`); message may vary by row."""
        if frame.height == 0:
            return
        msg = pl.lit(message) if isinstance(message, str) else message
        val = pl.lit(None, dtype=pl.String) if value is None else value.cast(pl.String)
        self._frames.append(
            (
                order,
                frame.select(
                    pl.lit(order, dtype=pl.Int64).alias("order"),
                    pl.lit(file).alias("file"),
                    pl.col("_line").cast(pl.Int64).alias("line"),
                    pl.lit(col_order, dtype=pl.Int64).alias("col_order"),
                    pl.lit(column).alias("column"),
                    msg.cast(pl.String).alias("message"),
                    val.alias("value"),
                ),
            )
        )

    def count(self) -> int:
        """How many problems so far."""
        return len(self._rows) + sum(f.height for _, f in self._frames)

    def count_for(self, order: int) -> int:
        """How many problems so far in the file of this order."""
        rows = sum(1 for r in self._rows if r["order"] == order)
        return rows + sum(f.height for o, f in self._frames if o == order)

    def errors(self) -> list[Error]:
        """Every problem, sorted by file order, line and column."""
        frames = [pl.DataFrame(self._rows, schema=_SCHEMA)] if self._rows else []
        frames += [f for _, f in self._frames]
        if not frames:
            return []
        allp = pl.concat(frames, how="vertical").sort(["order", "line", "col_order", "message"])
        # Long values are cut here for vectorised problems (scalar ones were cut on add);
        # an empty value says nothing, so it is not shown.
        allp = allp.with_columns(
            pl.when(pl.col("value") == "")
            .then(None)
            .when(pl.col("value").str.len_chars() > VALUE_WIDTH)
            .then(pl.col("value").str.slice(0, VALUE_WIDTH - 1) + "…")
            .otherwise(pl.col("value"))
            .alias("value")
        )
        return [
            Error(file, line, column, message, value)
            for file, line, column, message, value in allp.select(
                "file", "line", "column", "message", "value"
            ).iter_rows()
        ]
