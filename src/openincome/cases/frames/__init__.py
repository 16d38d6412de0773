"""Loading the engine's input frames from the database: one query per frame, one way per backend.

`queries` holds the SQL, built from the input registry (`ledger.inputs`) and the engine's
schemas; `postgres` reads it with COPY (the transactions as a binary COPY of arrays decoded
with NumPy); `sqlite` through its cursor. Both read on Django's own connection, so what is
read is exactly what the caller's transaction sees (PostgreSQL reads on several connections
at once only outside a transaction).
"""

from __future__ import annotations

import datetime
from functools import partial
from types import ModuleType

import polars as pl
from django.db import connection

from . import postgres, sqlite
from .queries import QUERIES, transactions_frame

__all__ = ["QUERIES", "frame_tasks", "in_parallel", "load_frames", "read_frame", "read_query",
           "read_table", "read_transactions", "transactions_frame"]


def _backend() -> ModuleType:
    return postgres if connection.vendor == "postgresql" else sqlite


def read_query(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One SELECT as a frame of these columns and types (COPY on PostgreSQL)."""
    return _backend().read_query(sql, params, schema)


def read_frame(
    name: str, tenancy_ids: list[int] | None = None, where: str = "1 = 1", params: list = ()
) -> pl.DataFrame:
    """One input frame (not the transactions) of the rows matching `where` and of these
    tenancies (every tenancy when None); empty strings become nulls."""
    return _backend().read_frame(name, tenancy_ids, where, params)


def read_transactions(
    as_of: datetime.date, tenancy_ids: list[int] | None = None,
    after: datetime.date | None = None,
) -> pl.DataFrame:
    """Transactions dated ≤ as_of (and > `after`), of every tenancy or of these, with
    unsigned amounts and the type as a categorical."""
    if tenancy_ids is not None and not tenancy_ids:
        return transactions_frame([], [], [], [])
    return _backend().read_transactions(as_of, tenancy_ids, after)


def read_table(name: str, as_of: datetime.date, tenancy_ids: list[int] | None = None):
    """One input frame as of a date, optionally only for some tenancies."""
    if name == "transactions":
        return read_transactions(as_of, tenancy_ids)
    return read_frame(name, tenancy_ids)


def frame_tasks(
    as_of: datetime.date, tenancy_ids: list[int] | None = None, skip: tuple[str, ...] = ()
) -> dict:
    """A reading function per input frame (for `in_parallel`), keyed by the EngineInputs
    field name, but those named in `skip` (the caller reads them its own way)."""
    return {
        name: partial(read_table, name, as_of, tenancy_ids)
        for name in QUERIES if name not in skip
    }


def load_frames(
    as_of: datetime.date, tenancy_ids: list[int] | None = None, skip: tuple[str, ...] = ()
) -> dict:
    """Every input frame the engine needs for as_of, keyed by the EngineInputs field name
    (but those named in `skip`: the caller reads them its own way)."""
    return in_parallel(frame_tasks(as_of, tenancy_ids, skip))


def in_parallel(tasks: dict) -> dict:
    """Run reading functions and return their results: at once, each on its own connection,
    on PostgreSQL outside a transaction; otherwise one after another."""
    if connection.vendor == "postgresql":
        return postgres.in_parallel(tasks)
    return {name: task() for name, task in tasks.items()}
