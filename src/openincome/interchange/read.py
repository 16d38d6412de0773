"""Reading one CSV file into a frame of strings with the physical line number of every row.

Fast path: a file without quote characters is split with Polars string operations (a million
rows in well under a second). A file with quotes gets one pass of the csv module to learn each
record's first physical line and field count (quoted values may span lines), then Polars'
CSV reader for the values; if the two disagree the csv module's rows are used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from .errors import NO_COLUMN, Problems

BOM = "\ufeff"


@dataclass
class Table:
    """A parsed file: its header and one String column per header position (`#0`, `#1`, ...).

    `frame` also has `_line` (the physical line of the row's first character). Blank lines
    and rows with the wrong number of fields are left out (the latter are reported).
    """

    name: str
    header: list[str]
    frame: pl.DataFrame


def position(i: int) -> str:
    """The frame column holding header position i."""
    return f"#{i}"


def read_table(path: Path, order: int, problems: Problems) -> Table | None:
    """Parse a file, reporting encoding and shape problems; None if it cannot be read at all."""
    name = path.name
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        problems.add(order, name, line, NO_COLUMN, "not valid UTF-8; save it as UTF-8", f"0x{bad}")
        return None
    if text.startswith(BOM):
        text = text[1:]
    if "\r" in text and "\n" not in text:
        # CR-only line endings (old Mac "CSV" exports): read as lines, so each row keeps its
        # physical line number as an editor counts it.
        text = text.replace("\r", "\n")
    if not text.strip("\r\n"):
        problems.add(order, name, 1, NO_COLUMN, "file is empty, expected a header row")
        return None
    if '"' in text:
        return _read_quoted(name, text, order, problems)
    return _read_plain(name, text, order, problems)


def _read_plain(name: str, text: str, order: int, problems: Problems) -> Table | None:
    """A file without quotes: every line is one record and every comma separates fields."""
    lines = pl.Series("l", text.split("\n"), dtype=pl.String).str.strip_suffix("\r")
    if lines[0] == "":
        problems.add(order, name, 1, NO_COLUMN, "the first line must be the header row")
        return None
    header = lines[0].split(",")
    body = pl.DataFrame({"l": lines.slice(1)}).with_row_index("_line", offset=2)
    body = body.filter(pl.col("l") != "")
    counts = pl.col("l").str.count_matches(",", literal=True) + 1
    body = body.with_columns(counts.alias("_n"))
    _ragged(name, order, problems, body.filter(pl.col("_n") != len(header)), len(header))
    body = body.filter(pl.col("_n") == len(header))
    cols = [position(i) for i in range(len(header))]
    if len(header) == 1:
        frame = body.select(pl.col("_line"), pl.col("l").alias(cols[0]))
    else:
        split = pl.col("l").str.split_exact(",", len(header) - 1)
        frame = body.select(
            pl.col("_line"),
            *[split.struct.field(f"field_{i}").alias(c) for i, c in enumerate(cols)],
        )
    return Table(name, header, frame.with_columns(pl.col("_line").cast(pl.Int64)))


def _read_quoted(name: str, text: str, order: int, problems: Problems) -> Table | None:
    """A file with quotes: the csv module finds records and their lines, Polars the values."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    starts: list[int] = []  # first physical line of each record after the header
    counts: list[int] = []
    previous = 0
    try:
        header = next(reader)
        previous = reader.line_num
        for row in reader:  # a tight loop: this pass costs about a second per million rows
            starts.append(previous + 1)
            counts.append(len(row))
            previous = reader.line_num
    except csv.Error as exc:
        problems.add(order, name, previous + 1, NO_COLUMN, f"malformed CSV: {exc}")
        return None
    if not header:
        problems.add(order, name, 1, NO_COLUMN, "the first line must be the header row")
        return None
    shape = pl.DataFrame(
        {"_line": starts, "_n": counts}, schema={"_line": pl.Int64, "_n": pl.Int64}
    ).with_row_index("_i")
    width = len(header)
    _ragged(
        name, order, problems, shape.filter((pl.col("_n") != width) & (pl.col("_n") > 0)), width
    )
    keep = shape.filter(pl.col("_n") == width)
    cols = [position(i) for i in range(width)]
    values = _polars_values(text, width, len(starts))
    if values is None:
        # Polars read the file differently (stray quotes): take the csv module's rows.
        rows = csv.reader(io.StringIO(text, newline=""))
        next(rows)
        kept = [row for row in rows if len(row) == width]
        frame = pl.DataFrame(kept, schema=dict.fromkeys(cols, pl.String), orient="row")
    else:
        frame = values.rename(dict(zip(values.columns, cols, strict=True)))
        frame = frame.filter(shape["_n"] == width)
    frame = frame.with_columns(pl.all().fill_null("")).insert_column(0, keep["_line"])
    return Table(name, header, frame)


def _polars_values(text: str, width: int, records: int) -> pl.DataFrame | None:
    """All records' values as strings via Polars; None if it does not agree on the shape."""
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            has_header=True,
            infer_schema=False,
            truncate_ragged_lines=True,
        )
    except pl.exceptions.PolarsError:
        return None
    if frame.height != records or frame.width != width:
        return None
    return frame


def _ragged(name: str, order: int, problems: Problems, bad: pl.DataFrame, width: int) -> None:
    problems.add_frame(
        order,
        name,
        bad,
        NO_COLUMN,
        pl.format("row has {} fields, the header has {}", pl.col("_n"), pl.lit(width)),
        None,
    )
