"""Reading the input frames from SQLite, the small embedded default: through its cursor, on
Django's own connection (so what is read is what the caller's transaction sees)."""

from __future__ import annotations

import datetime

import polars as pl
from django.db import connection

from .queries import QUERIES, blanks_to_nulls, dated

_ID_CHUNK = 20_000  # ids per filter in a query (SQLite's limit on bound parameters: 32,766)


def read_query(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One SELECT as a frame of these columns and types."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite gives dates as date objects for declared columns but as text out of a UNION, and
    # booleans as 0/1: normalise the date columns, then let Polars cast the rest.
    dates = [i for i, v in enumerate(schema.values()) if v == pl.Date]
    if dates and rows:
        fromiso = datetime.date.fromisoformat
        rows = [
            tuple(fromiso(v) if i in dates and isinstance(v, str) else v
                  for i, v in enumerate(row))
            for row in rows
        ]
    loose = {k: (pl.Int64 if v == pl.Boolean else v) for k, v in schema.items()}
    frame = pl.DataFrame(rows, schema=loose, orient="row")
    bools = [pl.col(k).cast(pl.Boolean) for k, v in schema.items() if v == pl.Boolean]
    return frame.with_columns(bools) if bools else frame


def read_frame(
    name: str, tenancy_ids: list[int] | None = None, where: str = "1 = 1", params: list = ()
) -> pl.DataFrame:
    """One input frame's rows matching `where` (of these tenancies, when given)."""
    query = QUERIES[name]
    if tenancy_ids is None:
        return blanks_to_nulls(read_query(*query.filtered(where, params), query.schema))
    parts, size = [], _ID_CHUNK // query.sql.count("{where}")  # each filter binds the ids
    for start in range(0, len(tenancy_ids), size):
        chunk = tenancy_ids[start : start + size]
        marks = ", ".join(["%s"] * len(chunk))
        sql, args = query.filtered(f"({where}) AND {query.id_column} IN ({marks})",
                                   [*params, *chunk])
        parts.append(read_query(sql, args, query.schema))
    frame = pl.concat(parts) if parts else pl.DataFrame(schema=query.schema)
    return blanks_to_nulls(frame)


def read_transactions(
    as_of: datetime.date, tenancy_ids: list[int] | None = None,
    after: datetime.date | None = None,
) -> pl.DataFrame:
    """Transactions dated ≤ as_of (and > `after`), of every tenancy or of these."""
    frame = read_frame("transactions", tenancy_ids, *dated(as_of, after))
    # A handful of type names over millions of rows: categorical is far smaller.
    return frame.with_columns(pl.col("type").cast(pl.Categorical))
