"""Reading what the database already holds, for the rows an import mentions only.

Look-ups go by the file's refs, so their cost follows the size of the file, not of the
database (a folder of new transactions does not read the 50 million already there).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import polars as pl
from django.apps import apps
from django.db import connection

from .bulk import fetch, fetch_by, in_clause, quote, select_sql, stream, value_chunks
from .schema import Column, FileSpec, polars_type


def existing_refs(model_label: str, field: str, refs: Iterable[str]) -> set[str]:
    """Which of these refs the database holds."""
    wanted = list(set(refs))
    if not wanted:
        return set()
    return set(fetch_by(apps.get_model(model_label), [field], field, wanted)[field].to_list())


def id_frame(model_label: str, field: str, refs: Iterable[str]) -> pl.DataFrame:
    """A frame of (ref, id) for the refs the database holds (column names `_ref`, `_id`)."""
    frame = fetch_by(apps.get_model(model_label), [field, "id"], field, list(refs))
    return frame.rename({field: "_ref", "id": "_id"})


NUMERIC = ("money", "int", "bool")


def _select(spec: FileSpec, columns: list[Column]) -> tuple[str, dict[str, str]]:
    """SELECT ... FROM the file's table (alias m) joined to its parents; each column's SQL."""
    meta = spec.model._meta
    select: dict[str, str] = {}
    joins = []
    for i, col in enumerate(columns):
        field = meta.get_field(col.model_field)
        if col.fk:
            parent = apps.get_model(col.fk[0])._meta
            alias = f"p{i}"
            joins.append(
                f"JOIN {quote(parent.db_table)} {alias} "
                f"ON {alias}.{quote(parent.pk.column)} = m.{quote(field.column)}"
            )
            select[col.name] = f"{alias}.{quote(parent.get_field(col.fk[1]).column)}"
        else:
            select[col.name] = select_sql(f"m.{quote(field.column)}", field)
    base = f"SELECT {', '.join(select.values())}, m.{quote(meta.pk.column)} "
    return base + f"FROM {quote(meta.db_table)} m {' '.join(joins)}", select


def _unsigned(spec: FileSpec, frame: pl.DataFrame) -> pl.DataFrame:
    if spec.name == "transactions.csv" and "amount" in frame.columns:
        # The database signs amounts (credits negative); the interchange never does.
        return frame.with_columns(pl.col("amount").abs())
    return frame


def stream_rows(spec: FileSpec, order: list[str]) -> Iterator[pl.DataFrame]:
    """Every row of the file's table, sorted by these columns (`_pk` = row id), in chunks.

    Text sorts by code point on both databases (PostgreSQL's "C" collation, SQLite's
    default), so an export is the same bytes whichever database it comes from.
    """
    columns = list(spec.columns)
    base, select = _select(spec, columns)
    select["_pk"] = f"m.{quote(spec.model._meta.pk.column)}"
    kinds = {c.name: c.kind for c in columns}
    collate = ' COLLATE "C"' if connection.vendor == "postgresql" else ""
    terms = [select[n] + (collate if kinds.get(n, "int") not in NUMERIC else "") for n in order]
    schema = {c.name: polars_type(c.kind) for c in columns} | {"_pk": pl.Int64}
    for frame in stream(f"{base} ORDER BY {', '.join(terms)}", schema):
        yield _unsigned(spec, frame)


def db_rows(spec: FileSpec, columns: list[Column], typed: pl.DataFrame) -> pl.DataFrame:
    """The database rows matching the file's keys, typed like the file (interchange names).

    Ref files are matched by their ref; the others by the tenancies they mention, and the
    caller joins on the full key. Foreign keys come back as the parent's ref.
    """
    schema = {c.name: polars_type(c.kind) for c in columns}
    if typed.height == 0 or not spec.model.objects.exists():
        return pl.DataFrame(schema=schema)
    base, select = _select(spec, columns)
    match = select[spec.key[0]]
    frames = []
    for part in value_chunks(typed[spec.key[0]].unique().to_list()):
        if connection.vendor == "postgresql":
            # A hash join with the wanted refs beats `= ANY(array)` by far for big files.
            sql = f"{base} JOIN unnest(%s::text[]) wanted(ref) ON wanted.ref = {match}"
            params = [part]
        else:
            cond, params = in_clause(match, part)
            sql = f"{base} WHERE {cond}"
        frames.append(fetch(sql, params, schema | {"_pk": pl.Int64}))
    return _unsigned(spec, pl.concat(frames).drop("_pk"))
