"""Raw bulk SQL for big imports: Polars frames in and out, on SQLite and PostgreSQL.

The ORM's bulk_create spends ~100 µs a row preparing values; here rows go straight from a frame
to `COPY` (PostgreSQL) or one `executemany` per chunk (SQLite), and reads skip per-value
Python converters (dates come back as text and are parsed by Polars).
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Callable, Iterator

import polars as pl
from django.db import connection, models, transaction
from django.utils import timezone

CHUNK = 50_000  # rows per executemany/COPY call (and progress step)
IN_CHUNK = 500_000  # values per look-up query


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return connection.ops.quote_name(name)


def in_clause(column_sql: str, values: list) -> tuple[str, list]:
    """`column IN values` with one parameter, whatever the number of values."""
    if connection.vendor == "postgresql":
        return f"{column_sql} = ANY(%s)", [values]
    # SQLite stores dates as ISO text, so dates compare as their ISO strings.
    return f"{column_sql} IN (SELECT value FROM json_each(%s))", [json.dumps(values, default=str)]


def value_chunks(values: list) -> Iterator[list]:
    """Slices of `values` for one look-up query each."""
    for start in range(0, len(values), IN_CHUNK):
        yield values[start : start + IN_CHUNK]


def field_type(field: models.Field) -> type[pl.DataType]:
    """The Polars type holding a model field's values."""
    if isinstance(field, models.DateTimeField):
        return pl.String
    if isinstance(field, models.DateField):
        return pl.Date
    if isinstance(field, models.BooleanField):
        return pl.Boolean
    if isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey):
        return pl.Int64
    return pl.String


def select_sql(expr: str, field: models.Field) -> str:
    """A select-list expression for a field; dates as ISO text, parsed later by Polars."""
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        return f"CAST({expr} AS TEXT)"
    return expr


def fetch(sql: str, params: list, schema: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    """Run a query whose date columns are ISO text; a typed frame (dates parsed)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return to_frame(cursor.fetchall(), schema)


def stream(
    sql: str, schema: dict[str, type[pl.DataType]], chunk: int = 100_000
) -> Iterator[pl.DataFrame]:
    """Run a query and yield its rows as typed frames of `chunk` rows, never all at once."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        # A server-side cursor: a client-side one would hold the whole result in memory.
        with transaction.atomic(), connection.connection.cursor(name="openincome_stream") as cur:
            cur.execute(sql)
            while rows := cur.fetchmany(chunk):
                yield to_frame(rows, schema)
    else:
        with connection.cursor() as cur:
            cur.execute(sql)
            while rows := cur.fetchmany(chunk):
                yield to_frame(rows, schema)


def to_frame(rows: list[tuple], schema: dict[str, type[pl.DataType]]) -> pl.DataFrame:
    """A typed frame from fetched rows whose dates are ISO text."""
    raw = {name: (pl.String if t == pl.Date else t) for name, t in schema.items()}
    frame = pl.DataFrame(rows, schema=raw, orient="row", strict=False)
    dates = [name for name, t in schema.items() if t == pl.Date]
    return frame.with_columns(pl.col(d).str.to_date("%Y-%m-%d") for d in dates)


def fetch_by(
    model: type[models.Model], attnames: list[str], where: str, values: list
) -> pl.DataFrame:
    """Columns (by attname) of the rows whose `where` attname is one of `values`."""
    meta = model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    schema = {a: field_type(fields[a]) for a in attnames}
    select = ", ".join(select_sql(quote(fields[a].column), fields[a]) for a in attnames)
    frames = []
    for part in value_chunks(sorted(set(values))):
        cond, params = in_clause(quote(fields[where].column), part)
        frames.append(
            fetch(f"SELECT {select} FROM {quote(meta.db_table)} WHERE {cond}", params, schema)
        )
    return pl.concat(frames) if frames else pl.DataFrame(schema=schema)


def insert_frame(
    model: type[models.Model],
    frame: pl.DataFrame,
    fixed: dict[str, object] | None = None,
    step: Callable[[int], object] = lambda n: None,
) -> None:
    """Insert one row per frame row; columns are attnames, other fields get `fixed` or defaults."""
    if frame.height == 0:
        return
    fixed = {k: _db_value(v) for k, v in (fixed or {}).items()}
    stamp = _db_value(timezone.now())
    columns, exprs = [], []
    for field in model._meta.concrete_fields:
        name = field.attname
        if isinstance(field, models.AutoField):
            continue  # the database numbers rows
        if name in fixed:
            expr = pl.lit(fixed[name])
        elif name in frame.columns:
            expr = pl.col(name)
        elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
            expr = pl.lit(stamp)
        else:
            expr = pl.lit(field.get_default())
        columns.append(quote(field.column))
        # SQLite stores dates as ISO text; Python's sqlite3 date adapter is deprecated.
        exprs.append(expr.cast(pl.String) if isinstance(field, models.DateField) else expr)
    rows = frame.select(e.alias(f"c{i}") for i, e in enumerate(exprs))
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv)"
            with cursor.cursor.copy(sql) as copy:
                for start in range(0, rows.height, CHUNK):
                    part = rows.slice(start, CHUNK)
                    buffer = io.BytesIO()
                    # Empty strings are written "" (kept), nulls as nothing (NULL).
                    part.write_csv(buffer, include_header=False, null_value="")
                    copy.write(buffer.getvalue())
                    step(part.height)
        else:
            from openincome.ledger.stamp_triggers import set_based_bumps

            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            with set_based_bumps(model._meta.db_table):
                for start in range(0, rows.height, CHUNK):
                    part = rows.slice(start, CHUNK)
                    cursor.executemany(sql, part.iter_rows())
                    step(part.height)


def _db_value(value: object) -> object:
    """Datetimes as the backend stores them (ISO text with offset on PostgreSQL)."""
    if not isinstance(value, datetime.datetime):
        return value
    if connection.vendor == "postgresql":
        return value.isoformat()
    return connection.ops.adapt_datetimefield_value(value)
