"""Reading the input frames from PostgreSQL with COPY, on Django's connection (so inside the
caller's transaction, seeing what it sees), or on one connection per core when there is none.

The small frames are a CSV COPY read by Polars. The transactions (≈63M rows for 100k homes ×
5 years) come as a binary COPY of rows of arrays (one row per tenancy when reading everything,
per block of tenancies otherwise) decoded with NumPy: a COPY row costs the driver a few
microseconds in Python whatever its size, so 63M one-transaction rows would cost minutes
where 147k tenancy rows cost a fraction of a second.

Threads: `in_parallel`'s end before it returns; Polars' own pool starts in whichever process
reads, and no process that reads then forks (the web server forks its workers before any
read, the demo builds its landlord in a child process).

Why not connectorx or ADBC (each reads PostgreSQL into Arrow in native code; connectorx was
pinned and never imported, and is dropped): measured on the first nightly's read of every
transaction at 100k homes × 5 years (63.5M rows, the same rows from all three), in two rounds
on a busy 2-core machine, this decoder took 65.8 s and 81.3 s; connectorx (4 partitions, rows
out of order, so the engine must sort them too) 94.9 s and 152.0 s; ADBC on 4 connections
72.6 s and 89.7 s. Neither is faster; both open connections of their own, so they cannot read
inside the caller's transaction (the refresh after an action, the tests) and would be a
second way to read beside this one; both need pyarrow; and connectorx runs a thread pool of
its own in the process (never in one that then forks: the web server's).
"""

from __future__ import annotations

import datetime
import io
import os
import struct
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from functools import partial

import numpy as np
import polars as pl
from django.db import connection, transaction

from .queries import QUERIES, TYPE_CODE, blanks_to_nulls, dated, transactions_frame


def read_query(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One SELECT as a frame of these columns and types, by a CSV COPY."""
    buf = io.BytesIO()
    with connection.cursor() as cursor, cursor.cursor.copy(
        f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params
    ) as copy:
        for chunk in copy:
            buf.write(chunk)
    if buf.tell() == 0:
        return pl.DataFrame(schema=schema)
    buf.seek(0)
    read_as = {k: (pl.String if v == pl.Boolean else v) for k, v in schema.items()}
    frame = pl.read_csv(buf, has_header=False, new_columns=list(schema), schema=read_as)
    bools = [pl.col(k).replace_strict({"t": True, "f": False}, default=None,
                                      return_dtype=pl.Boolean)
             for k, v in schema.items() if v == pl.Boolean]
    return frame.with_columns(bools) if bools else frame


def read_frame(
    name: str, tenancy_ids: list[int] | None = None, where: str = "1 = 1", params: list = ()
) -> pl.DataFrame:
    """One input frame's rows matching `where` (of these tenancies, when given)."""
    query = QUERIES[name]
    if tenancy_ids is not None:
        # By the tenancy index; one array parameter however many ids.
        where, params = f"({where}) AND {query.id_column} = ANY(%s)", [*params, tenancy_ids]
    return blanks_to_nulls(read_query(*query.filtered(where, params), query.schema))


# --- transactions: binary COPY of rows of arrays ------------------------------------------------

# Reading everything: one row per tenancy, its arrays in (tenancy, date) order as the engine
# groups them, so it need not sort 63M rows (the sorted subquery feeds array_agg in order; the
# engine checks, and sorts if ever it did not); grouping sorted rows streams.
_BY_TENANCY = f"""SELECT tenancy_id, array_agg(date), array_agg(code), array_agg(amount)
    FROM (SELECT tenancy_id::int8 AS tenancy_id, date, {TYPE_CODE} AS code,
                 ABS(amount)::int8 AS amount
          FROM ledger_transaction WHERE {{where}} ORDER BY tenancy_id, date) AS t
    GROUP BY tenancy_id"""
# Reading a few million rows (the rows after a checkpoint, the tenancies read in full): one
# row per block of _BLOCK consecutive tenancy ids, in no particular order. ~150 block rows
# cost nothing to decode where ~100k tenancy rows would cost half a second.
_BLOCK = 1024
_BY_BLOCK = f"""SELECT array_agg(tenancy_id), array_agg(date), array_agg(code), array_agg(amount)
    FROM (SELECT tenancy_id::int8 AS tenancy_id, date, {TYPE_CODE} AS code,
                 ABS(amount)::int8 AS amount
          FROM ledger_transaction WHERE {{where}}) AS t
    GROUP BY tenancy_id / {_BLOCK}"""
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_PG_EPOCH_DAYS = 10957  # PostgreSQL counts dates from 2000-01-01, Polars from 1970-01-01
_INT4, _INT2, _INT8 = (np.dtype([("size", ">i4"), ("value", f">i{n}")]) for n in (4, 2, 8))
_BATCH_ROWS = 1 << 22  # transactions per decoded frame chunk (bounds the temporaries)
_FIELD = struct.Struct(">i")
_ARRAY_HEADER = struct.Struct(">iiiii")  # ndim, has NULLs, element type, length, lower bound


def _array_cells(buf: bytearray, at: int, size: int, element: np.dtype) -> tuple[int, bytes]:
    """The cells (size, value) of a one-dimensional binary array without NULLs, as bytes."""
    if size == 12:  # an empty array has no dimensions
        return 0, b""
    ndim, has_null, _, count, _ = _ARRAY_HEADER.unpack_from(buf, at)
    # Each fixed-size cell is its 4-byte size then the value: the sizes must add up.
    if ndim != 1 or has_null or 20 + count * element.itemsize != size:
        raise ValueError("unexpected array layout in the COPY of transactions")
    return count, bytes(buf[at + 20 : at + size])


def _values(parts: list[bytes], element: np.dtype) -> np.ndarray:
    cells = np.frombuffer(b"".join(parts), dtype=element)
    return cells["value"].astype(element["value"].newbyteorder("="))


class _Batches:
    """Decoded rows of arrays gathered into frames of about _BATCH_ROWS transactions."""

    def __init__(self) -> None:
        self.frames: list[pl.DataFrame] = []
        self.ids: list[int] = []  # a row per tenancy: its id, repeated `counts` times
        self.counts: list[int] = []
        # (id cells: a row per block of tenancies; dates; type codes; amounts)
        self.cells: tuple[list[bytes], ...] = ([], [], [], [])
        self.rows = 0

    def add(self, ids: int | tuple[int, bytes], dates, codes, amounts) -> None:
        """A row's tenancy id, or the cells of its array of ids, and its arrays' cells."""
        count = dates[0]
        if isinstance(ids, int):
            self.ids.append(ids)
            self.counts.append(count)
            ids = (count, b"")
        if not ids[0] == count == codes[0] == amounts[0]:
            raise ValueError("arrays of different lengths in the COPY of transactions")
        for cells, (_, data) in zip(self.cells, (ids, dates, codes, amounts), strict=True):
            cells.append(data)
        self.rows += count
        if self.rows >= _BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        # A COPY's rows are all of one kind: per tenancy (ids) or per block (id cells).
        ids = (np.repeat(np.array(self.ids, dtype=np.int64), self.counts) if self.ids
               else _values(self.cells[0], _INT8))
        self.frames.append(transactions_frame(
            ids,
            _values(self.cells[1], _INT4) + _PG_EPOCH_DAYS,
            _values(self.cells[2], _INT2),
            _values(self.cells[3], _INT8),
        ))
        self.ids, self.counts, self.cells, self.rows = [], [], ([], [], [], []), 0


def _decode_rows(buf: bytearray, at: int, batches: _Batches) -> int:
    """Decode every complete row in buf from `at`; return where the next one starts."""
    end = len(buf)
    while end - at >= 2:
        if struct.unpack_from(">h", buf, at)[0] != 4:
            return at  # the trailer (-1): checked by the caller
        fields, p = [], at + 2
        for _ in range(4):
            if end - p < 4:
                return at
            size = _FIELD.unpack_from(buf, p)[0]
            if size < 0:
                raise ValueError("unexpected NULL in the COPY of transactions")
            if end - p - 4 < size:
                return at
            fields.append((p + 4, size))
            p += 4 + size
        (id_at, id_size), dates, codes, amounts = fields
        batches.add(
            # A bigint is 8 bytes; an array of them, even empty, at least 12.
            struct.unpack_from(">q", buf, id_at)[0] if id_size == 8
            else _array_cells(buf, id_at, id_size, _INT8),
            _array_cells(buf, *dates, _INT4),
            _array_cells(buf, *codes, _INT2),
            _array_cells(buf, *amounts, _INT8),
        )
        at = p
    return at


def _copy_transactions(where: str, params: list, everything: bool) -> pl.DataFrame:
    """The transactions matching `where`, by one streamed binary COPY decoded as it comes
    (rows per tenancy, in order, when reading `everything`; else per block)."""
    batches = _Batches()
    buf, at, header_done = bytearray(), 0, False
    shape = _BY_TENANCY if everything else _BY_BLOCK
    sql = f"COPY ({shape.format(where=where)}) TO STDOUT WITH (FORMAT binary)"
    # (The setting below is local to a transaction: reading everything makes sure it has one.)
    with connection.cursor() as cursor, transaction.atomic() if everything else nullcontext():
        if everything:
            # Grouping sorted rows streams; hashing 63M rows' arrays (the planner's guess) spills.
            cursor.execute("SELECT current_setting('enable_hashagg')")
            hashagg = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('enable_hashagg', 'off', true)")
        with cursor.cursor.copy(sql, params) as copy:
            for chunk in copy:
                buf += chunk
                if not header_done:
                    if len(buf) < 19:
                        continue
                    if bytes(buf[:11]) != _SIGNATURE:
                        raise ValueError("unexpected header in the COPY of transactions")
                    at = 19 + struct.unpack_from(">i", buf, 15)[0]
                    header_done = True
                at = _decode_rows(buf, at, batches)
                if at > 1 << 20:
                    del buf[:at]
                    at = 0
        if everything:
            cursor.execute("SELECT set_config('enable_hashagg', %s, true)", [hashagg])
    if len(buf) - at != 2 or buf[at:] != b"\xff\xff":
        raise ValueError("unexpected end of the COPY of transactions")
    batches.flush()
    if not batches.frames:
        return transactions_frame([], [], [], [])
    return pl.concat(batches.frames, rechunk=False)


def read_transactions(
    as_of: datetime.date, tenancy_ids: list[int] | None = None,
    after: datetime.date | None = None,
) -> pl.DataFrame:
    """Transactions dated ≤ as_of (and > `after`), of every tenancy or of these."""
    where, params = dated(as_of, after)
    if tenancy_ids is not None:
        return _copy_transactions(f"{where} AND tenancy_id = ANY(%s)", [*params, tenancy_ids],
                                  everything=False)
    if after is not None:
        # By the covering date index (≈ six weeks of rows after a checkpoint).
        return _copy_transactions(where, params, everything=False)
    if connection.in_atomic_block:
        return _copy_transactions(where, params, everything=True)
    return _read_everything_in_parallel(as_of)


def id_ranges(
    low: int, high: int, parts: int, cuts: list[int | None] | None = None
) -> list[tuple[int, int]]:
    """[low, high] cut into at most `parts` consecutive inclusive ranges: ending at the given
    cut ids where there are any inside it, else of equal width (fewer when it is short)."""
    ends = sorted({c for c in cuts or [] if c is not None and low <= c < high})[: parts - 1]
    if ends:
        return list(zip([low, *(e + 1 for e in ends)], [*ends, high], strict=True))
    size = max(1, -(-(high - low + 1) // parts))
    return [(start, min(high, start + size - 1)) for start in range(low, high + 1, size)]


# A sample of about one page in a thousand: enough to split 60M rows evenly, read in ~40 ms.
_SPLIT_SAMPLE = """SELECT percentile_disc(%s::float8[]) WITHIN GROUP (ORDER BY tenancy_id)
    FROM ledger_transaction TABLESAMPLE SYSTEM (0.1)"""


def _read_everything_in_parallel(as_of: datetime.date) -> pl.DataFrame:
    """Every transaction dated ≤ as_of, read as ranges of tenancies on one connection per core.

    The server's work (scanning and grouping 60M rows) then uses every core. Only outside a
    transaction: the other connections could not see rows the caller has not committed.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM ledger_tenancy")
        low, high = cursor.fetchone()
        if low is None:
            return transactions_frame([], [], [], [])
        parts = max(1, min(4, os.cpu_count() or 1))
        # Ranges of about equal numbers of transactions, not of tenancies: older tenancies
        # have longer histories, and the run waits for the longest range.
        cuts = None
        if parts > 1:
            cursor.execute(_SPLIT_SAMPLE, [[i / parts for i in range(1, parts)]])
            cuts = cursor.fetchone()[0]
    where, params = dated(as_of)
    ranges = id_ranges(low, high, parts, cuts)
    got = in_parallel({
        bounds: partial(_copy_transactions, f"{where} AND tenancy_id BETWEEN %s AND %s",
                        [*params, *bounds], True)
        for bounds in ranges
    })
    # Consecutive ranges, each in (tenancy, date) order: together in order too.
    return pl.concat([got[bounds] for bounds in ranges], rechunk=False)


def in_parallel(tasks: dict) -> dict:
    """Run reading functions at once, each on its own connection, and return their results.

    Outside a transaction only (other connections could not see what the caller has not
    committed): the server reads several tables on several cores while this process decodes.
    Inside one, one after another on the caller's connection.
    """
    if connection.in_atomic_block or len(tasks) < 2:
        return {name: task() for name, task in tasks.items()}

    def run(task):
        try:
            return task()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(min(len(tasks), 4)) as pool:
        futures = {name: pool.submit(run, task) for name, task in tasks.items()}
        return {name: future.result() for name, future in futures.items()}
