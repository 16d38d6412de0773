"""Loading the engine's input frames from the database: one streamed query per table.

PostgreSQL streams each query with COPY (fast, and inside the caller's transaction); SQLite,
the small embedded default, reads through its cursor. Both run on Django's own connection, so
what is read is exactly what the caller's transaction sees.

The transactions (≈63M rows for 100k homes × 5 years) come from PostgreSQL differently: one
COPY row per tenancy holding arrays of its dates, type codes and amounts, in binary, decoded
with NumPy. A COPY row costs the driver a few microseconds in Python whatever its size, so
63M one-transaction rows cost minutes where 147k tenancy rows cost a fraction of a second.
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

from openincome.ledger.vocab import TRANSACTION_TYPES

TEXT, DATE, INT, BOOL = pl.Utf8, pl.Date, pl.Int64, pl.Boolean

# table name -> (SELECT returning these columns in this order, {column: type}).
QUERIES: dict[str, tuple[str, dict[str, pl.DataType]]] = {
    "tenancies": (
        # EXISTS is a boolean on PostgreSQL (its COPY says t or f; 1 or 0 read as unknown).
        """SELECT t.id, t.tenancy_ref, p.code, t.tenure, t.start_date, t.end_date,
                  EXISTS (SELECT 1 FROM ledger_tenant x WHERE x.tenancy_id = t.id
                          AND x.vulnerabilities <> ''),
                  t.trial_end_date
           FROM ledger_tenancy t
           JOIN ledger_property pr ON pr.id = t.property_id
           JOIN ledger_patch p ON p.id = pr.patch_id
           WHERE {where_t}""",
        {"tenancy_id": INT, "tenancy_ref": TEXT, "patch": TEXT, "tenure": TEXT,
         "start_date": DATE, "end_date": DATE, "vulnerable": BOOL, "trial_end_date": DATE},
    ),
    "transactions": (
        # Amounts are stored signed; the engine takes them unsigned with the sign in the type.
        # Ordered as the engine groups them, which saves it a sort of the largest frame.
        """SELECT tenancy_id, date, type, ABS(amount) FROM ledger_transaction
           WHERE date <= %s AND {where} ORDER BY tenancy_id, date""",
        {"tenancy_id": INT, "date": DATE, "type": TEXT, "amount": INT},
    ),
    "charges": (
        """SELECT tenancy_id, charge_code, amount, frequency, effective_from, effective_to
           FROM ledger_charge WHERE {where}""",
        {"tenancy_id": INT, "charge_code": TEXT, "amount": INT, "frequency": TEXT,
         "effective_from": DATE, "effective_to": DATE},
    ),
    "benefits": (
        # The claim's status history: simple-history rows plus the current row (bulk imports
        # write no history rows), so the engine can take the latest status known at D.
        """SELECT tenancy_id, claim_ref, benefit, status, status_date, direct_to_landlord,
                  expected_amount, frequency FROM ledger_benefitclaim WHERE {where}
           UNION
           SELECT tenancy_id, claim_ref, benefit, status, status_date, direct_to_landlord,
                  expected_amount, frequency FROM ledger_historicalbenefitclaim
           WHERE history_type <> '-' AND {where}""",
        {"tenancy_id": INT, "claim_ref": TEXT, "benefit": TEXT, "status": TEXT,
         "status_date": DATE, "direct_to_landlord": BOOL, "expected_amount": INT,
         "frequency": TEXT},
    ),
    "agreements": (
        """SELECT agreement_ref, tenancy_id, kind, start_date, starting_balance, instalment,
                  frequency, status FROM ledger_agreement WHERE {where}""",
        {"agreement_ref": TEXT, "tenancy_id": INT, "kind": TEXT, "start_date": DATE,
         "starting_balance": INT, "instalment": INT, "frequency": TEXT, "status": TEXT},
    ),
    "notices": (
        """SELECT notice_ref, tenancy_id, kind, served_date, earliest_proceedings_date,
                  expiry_date FROM ledger_notice WHERE {where}""",
        {"notice_ref": TEXT, "tenancy_id": INT, "kind": TEXT, "served_date": DATE,
         "earliest_proceedings_date": DATE, "expiry_date": DATE},
    ),
    "court_cases": (
        """SELECT case_ref, tenancy_id, claim_date, hearing_date, outcome, outcome_date,
                  possession_date, terms_instalment, terms_frequency, warrant_date,
                  eviction_date FROM ledger_courtcase WHERE {where}""",
        {"case_ref": TEXT, "tenancy_id": INT, "claim_date": DATE, "hearing_date": DATE,
         "outcome": TEXT, "outcome_date": DATE, "possession_date": DATE,
         "terms_instalment": INT, "terms_frequency": TEXT, "warrant_date": DATE,
         "eviction_date": DATE},
    ),
    "pauses": (
        "SELECT tenancy_id, reason, start_date, end_date, note FROM ledger_pause WHERE {where}",
        {"tenancy_id": INT, "reason": TEXT, "start_date": DATE, "end_date": DATE, "note": TEXT},
    ),
    "promises": (
        """SELECT promise_ref, tenancy_id, made_date, due_date, amount FROM ledger_promise
           WHERE {where}""",
        {"promise_ref": TEXT, "tenancy_id": INT, "made_date": DATE, "due_date": DATE,
         "amount": INT},
    ),
    "actions": (
        "SELECT tenancy_id, date, code FROM ledger_recordedaction WHERE {where}",
        {"tenancy_id": INT, "date": DATE, "code": TEXT},
    ),
}


def _read_postgres(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    buf = io.BytesIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
            for chunk in copy:
                buf.write(chunk)
    if buf.tell() == 0:
        return pl.DataFrame(schema=schema)
    buf.seek(0)
    read_as = {k: (pl.Utf8 if v == BOOL else v) for k, v in schema.items()}
    frame = pl.read_csv(buf, has_header=False, new_columns=list(schema), schema=read_as)
    bools = [pl.col(k).replace_strict({"t": True, "f": False}, default=None, return_dtype=BOOL)
             for k, v in schema.items() if v == BOOL]
    return frame.with_columns(bools) if bools else frame


def _read_cursor(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    # SQLite gives dates as date objects for declared columns but as text out of a UNION, and
    # booleans as 0/1: normalise the date columns, then let Polars cast the rest.
    dated = [i for i, v in enumerate(schema.values()) if v == DATE]
    if dated and rows:
        fromiso = datetime.date.fromisoformat
        rows = [
            tuple(fromiso(v) if i in dated and isinstance(v, str) else v
                  for i, v in enumerate(row))
            for row in rows
        ]
    loose = {k: (INT if v == BOOL else v) for k, v in schema.items()}
    frame = pl.DataFrame(rows, schema=loose, orient="row")
    bools = [pl.col(k).cast(BOOL) for k, v in schema.items() if v == BOOL]
    return frame.with_columns(bools) if bools else frame


def read_query(sql: str, params: list, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """One SELECT as a frame of these columns and types (COPY on PostgreSQL)."""
    reader = _read_postgres if connection.vendor == "postgresql" else _read_cursor
    return reader(sql, params, schema)


# --- transactions from PostgreSQL: binary COPY, one row of arrays per tenancy -------------------

# Type names travel as their index in TRANSACTION_TYPES (-1 for any other name: the engine
# counts those as unknown, exactly as it would the name itself).
_TYPE_CODE = "CASE type {} ELSE -1 END::int2".format(
    " ".join(f"WHEN '{name}' THEN {i}" for i, name in enumerate(TRANSACTION_TYPES))
)
# Arrays in (tenancy, date) order, as the engine groups them, so it need not sort 63M rows (the
# sorted subquery feeds array_agg in order; the reader checks, and sorts if ever it did not).
TRANSACTIONS_BY_TENANCY = f"""SELECT tenancy_id, array_agg(date), array_agg(code), array_agg(amount)
    FROM (SELECT tenancy_id, date, {_TYPE_CODE} AS code, ABS(amount) AS amount
          FROM ledger_transaction WHERE date <= %s AND {{where}}
          ORDER BY tenancy_id, date) AS t
    GROUP BY tenancy_id"""
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
_PG_EPOCH_DAYS = 10957  # PostgreSQL counts dates from 2000-01-01, Polars from 1970-01-01
_INT4, _INT2, _INT8 = (
    np.dtype([("size", ">i4"), ("value", f">i{n}")]) for n in (4, 2, 8)
)
_BATCH_ROWS = 1 << 22  # transactions per decoded frame chunk (bounds the temporaries)
_TYPES = pl.Series(TRANSACTION_TYPES, dtype=pl.Categorical)


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
    """Decoded tenancy rows gathered into frames of about _BATCH_ROWS transactions."""

    def __init__(self) -> None:
        self.frames: list[pl.DataFrame] = []
        self.ids: list[int] = []
        self.counts: list[int] = []
        self.cells: tuple[list[bytes], list[bytes], list[bytes]] = ([], [], [])
        self.rows = 0
        self.last_key = -1
        self.ordered = True

    def add(self, tenancy_id: int, dates, codes, amounts) -> None:
        count = dates[0]
        if not count == codes[0] == amounts[0]:
            raise ValueError("arrays of different lengths in the COPY of transactions")
        if count:
            self.ids.append(tenancy_id)
            self.counts.append(count)
            for cells, (_, data) in zip(self.cells, (dates, codes, amounts), strict=True):
                cells.append(data)
            self.rows += count
            if self.rows >= _BATCH_ROWS:
                self.flush()

    def flush(self) -> None:
        if not self.ids:
            return
        ids = np.repeat(np.array(self.ids, dtype=np.int64), self.counts)
        days = _values(self.cells[0], _INT4) + _PG_EPOCH_DAYS
        codes = _values(self.cells[1], _INT2)
        amounts = _values(self.cells[2], _INT8)
        self.ids, self.counts, self.cells, self.rows = [], [], ([], [], []), 0
        # Ordered by (tenancy, date) as the engine groups them? Then it need not sort.
        key = (ids << 20) + days + (1 << 19)
        if self.ordered and (key[0] < self.last_key or bool((key[1:] < key[:-1]).any())):
            self.ordered = False
        self.last_key = int(key[-1])
        del key
        code = pl.Series(codes, dtype=pl.Int16)
        self.frames.append(
            pl.DataFrame({"tenancy_id": ids, "date": pl.Series(days).cast(pl.Date)}).with_columns(
                type=pl.lit(_TYPES).gather(pl.when(code >= 0).then(code)),
                amount=pl.Series(amounts, dtype=pl.Int64),
            )
        )


# A few million rows (a run's tail, the tenancies read in full): COPY rows of arrays, one per
# block of _BLOCK consecutive tenancy ids, each array's cells of fixed width and never NULL,
# decoded by NumPy. A COPY row costs the driver about a microsecond in Python, so a million
# one-transaction rows would cost a second where ~150 block rows cost nothing.
_BLOCK = 1024
TRANSACTION_ROWS = f"""SELECT tenancy_id::int8 AS tenancy_id, date, {_TYPE_CODE} AS code,
    ABS(amount)::int8 AS amount FROM ledger_transaction WHERE date <= %s AND {{where}}"""
_CELLS = {"int8": _INT8, "date": _INT4, "int2": _INT2}


def read_arrays(sql: str, params: list, columns: dict[str, str]) -> dict[str, np.ndarray]:
    """The columns of a query whose rows carry `tenancy_id`, as NumPy arrays (in no
    particular order), from a binary COPY of one row of arrays per block of tenancies.

    `columns` maps each output column of `sql` to its fixed-width type: int8, date (days
    since 1970-01-01 out) or int2; none may be NULL.
    """
    names = list(columns)
    grouped = (f"SELECT {', '.join(f'array_agg(t.{n})' for n in names)} FROM ({sql}) AS t "
               f"GROUP BY t.tenancy_id / {_BLOCK}")
    buf = bytearray()
    copy_sql = f"COPY ({grouped}) TO STDOUT WITH (FORMAT binary)"
    with connection.cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        for chunk in copy:
            buf += chunk
    if bytes(buf[:11]) != _SIGNATURE or buf[-2:] != b"\xff\xff":
        raise ValueError("unexpected framing in a COPY of arrays")
    cells: list[list[bytes]] = [[] for _ in names]
    at, end = 19 + struct.unpack_from(">i", buf, 15)[0], len(buf) - 2
    while at < end:
        if struct.unpack_from(">h", buf, at)[0] != len(names):
            raise ValueError("unexpected field count in a COPY of arrays")
        at += 2
        for i, name in enumerate(names):
            size = _FIELD.unpack_from(buf, at)[0]
            if size < 0:
                raise ValueError("unexpected NULL in a COPY of arrays")
            cells[i].append(_array_cells(buf, at + 4, size, _CELLS[columns[name]])[1])
            at += 4 + size
    out = {}
    for name, parts in zip(names, cells, strict=True):
        values = _values(parts, _CELLS[columns[name]])
        out[name] = values + _PG_EPOCH_DAYS if columns[name] == "date" else values
    if len({len(v) for v in out.values()}) > 1:
        raise ValueError("arrays of different lengths in a COPY of arrays")
    return out


def _read_transaction_rows(where: str, params: list) -> pl.DataFrame:
    """Transactions matching `where` (and dated ≤ the first param) by a COPY of arrays."""
    got = read_arrays(TRANSACTION_ROWS.format(where=where), params,
                      {"tenancy_id": "int8", "date": "date", "code": "int2", "amount": "int8"})
    return transactions_frame(got["tenancy_id"], got["date"].astype(np.int32), got["code"],
                              got["amount"])


def transactions_frame(tenancy_ids, days, codes, amounts) -> pl.DataFrame:
    """The engine's transactions frame from arrays: ids, days since 1970-01-01, type codes
    (index in TRANSACTION_TYPES, -1 for any other name) and unsigned pence."""
    code = pl.Series(codes, dtype=pl.Int16)
    return pl.DataFrame({
        "tenancy_id": pl.Series(tenancy_ids, dtype=pl.Int64),
        "date": pl.Series(days, dtype=pl.Int32).cast(pl.Date),
    }).with_columns(
        type=pl.lit(_TYPES).gather(pl.when(code >= 0).then(code)),
        amount=pl.Series(amounts, dtype=pl.Int64),
    )


def _read_transactions_postgres(sql: str, params: list, schema: dict, full: bool) -> pl.DataFrame:
    batches = _Batches()
    buf, at, header_done = bytearray(), 0, False
    # (The setting below is local to a transaction: the full read makes sure it has one.)
    with connection.cursor() as cursor, transaction.atomic() if full else nullcontext():
        raw = cursor.cursor
        if full:
            # Grouping sorted rows streams; hashing 63M rows' arrays (the planner's guess) spills.
            cursor.execute("SELECT current_setting('enable_hashagg')")
            hashagg = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('enable_hashagg', 'off', true)")
        with raw.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT binary)", params) as copy:
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
        if full:
            cursor.execute("SELECT set_config('enable_hashagg', %s, true)", [hashagg])
    if len(buf) - at != 2 or buf[at:] != b"\xff\xff":
        raise ValueError("unexpected end of the COPY of transactions")
    batches.flush()
    if not batches.frames:
        return pl.DataFrame(schema=schema | {"type": pl.Categorical})
    frame = pl.concat(batches.frames, rechunk=False)
    return frame if batches.ordered else frame.sort(["tenancy_id", "date"])


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


def _read_all_transactions_in_parallel(as_of: datetime.date, schema: dict) -> pl.DataFrame:
    """Every transaction dated ≤ as_of, read as ranges of tenancies on one connection per core.

    The server's work (scanning and grouping 60M rows) then uses every core. Only outside a
    transaction: the other connections could not see rows the caller has not committed.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM ledger_tenancy")
        low, high = cursor.fetchone()
        if low is None:
            return read_transactions_of(as_of, [])
        parts = max(1, min(4, os.cpu_count() or 1))
        # Ranges of about equal numbers of transactions, not of tenancies: older tenancies
        # have longer histories, and the run waits for the longest range.
        cuts = None
        if parts > 1:
            cursor.execute(_SPLIT_SAMPLE, [[i / parts for i in range(1, parts)]])
            cuts = cursor.fetchone()[0]
    sql = TRANSACTIONS_BY_TENANCY.format(where="tenancy_id BETWEEN %s AND %s")
    ranges = id_ranges(low, high, parts, cuts)
    got = in_parallel({
        bounds: partial(_read_transactions_postgres, sql, [as_of, *bounds], schema, True)
        for bounds in ranges
    })
    frames = [got[bounds] for bounds in ranges]
    # Consecutive ranges, each in (tenancy, date) order: together in order too.
    return pl.concat(frames, rechunk=False)


_FIELD = struct.Struct(">i")


def _decode_rows(buf: bytearray, at: int, batches: _Batches) -> int:
    """Decode every complete tenancy row in buf from `at`; return where the next one starts."""
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
        (id_at, _), dates, codes, amounts = fields
        batches.add(
            struct.unpack_from(">q", buf, id_at)[0],
            _array_cells(buf, *dates, _INT4),
            _array_cells(buf, *codes, _INT2),
            _array_cells(buf, *amounts, _INT8),
        )
        at = p
    return at


def read_table(name: str, as_of: datetime.date, tenancy_ids: list[int] | None = None):
    """One input frame, optionally only for some tenancies; empty strings become nulls."""
    sql, schema = QUERIES[name]
    params: list = []
    if tenancy_ids is None:
        where, where_t = "1 = 1", "1 = 1"
    else:
        marks = ", ".join(["%s"] * len(tenancy_ids))
        where, where_t = f"tenancy_id IN ({marks})", f"t.id IN ({marks})"
    sql = sql.format(where=where, where_t=where_t)
    if name == "transactions":
        params.append(as_of)
    # Each {where} placeholder in the query needs its own copy of the ids.
    params += (tenancy_ids or []) * (sql.count("tenancy_id IN (") + sql.count("t.id IN ("))
    if name == "transactions" and connection.vendor == "postgresql":
        if tenancy_ids is None and not connection.in_atomic_block:
            return _read_all_transactions_in_parallel(as_of, schema)
        sql = TRANSACTIONS_BY_TENANCY.format(where=where)
        return _read_transactions_postgres(sql, params, schema, full=tenancy_ids is None)
    frame = _blanks_to_nulls(read_query(sql, params, schema), schema)
    if name == "transactions":
        # A handful of type names over millions of rows: categorical is far smaller.
        frame = frame.with_columns(pl.col("type").cast(pl.Categorical))
    return frame


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
    """Run reading functions at once, each on its own connection, and return their results.

    On PostgreSQL outside a transaction (other connections could not see what the caller has
    not committed), so the server reads several tables on several cores while this process
    decodes; otherwise one after another on the caller's connection.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(tasks) < 2:
        return {name: task() for name, task in tasks.items()}

    def run(task):
        try:
            return task()
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(min(len(tasks), 4)) as pool:
        futures = {name: pool.submit(run, task) for name, task in tasks.items()}
        return {name: future.result() for name, future in futures.items()}


def read_charges_current(since: datetime.date) -> pl.DataFrame:
    """Charges still in force on or after `since` (all a run from a checkpoint at `since`
    needs, but for the tenancies it reads in full: `read_charges_older`)."""
    sql, schema = QUERIES["charges"]
    current = read_query(sql.format(where="effective_to IS NULL OR effective_to >= %s"),
                         [since], schema)
    return _blanks_to_nulls(current, schema)


def read_charges_older(since: datetime.date, tenancy_ids: list[int]) -> pl.DataFrame:
    """The charges of some tenancies that ended before `since` (their court orders look at
    the charges on the order date)."""
    sql, schema = QUERIES["charges"]
    if connection.vendor == "postgresql":
        # By the tenancy index, not "OR tenancy_id = ANY(…)": that checks each row against
        # every id.
        older = read_query(sql.format(where="tenancy_id = ANY(%s) AND effective_to < %s"),
                           [tenancy_ids, since], schema)
    else:
        older = read_query(sql.format(where="effective_to < %s"), [since], schema).filter(
            pl.col("tenancy_id").is_in(pl.Series(tenancy_ids, dtype=pl.Int64).implode()))
    return _blanks_to_nulls(older, schema)


def _blanks_to_nulls(frame: pl.DataFrame, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Empty strings in the text columns become nulls, as the engine expects."""
    blanks = [pl.when(pl.col(k) == "").then(None).otherwise(pl.col(k)).alias(k)
              for k, v in schema.items() if v == TEXT]
    return frame.with_columns(blanks) if blanks else frame


_ID_CHUNK = 20_000  # ids per query on SQLite (its limit on bound parameters is 32,766)


def read_transactions_after(
    as_of: datetime.date, after: datetime.date, exclude: list[int]
) -> pl.DataFrame:
    """Transactions dated in (after, as_of] of every tenancy but `exclude` (the tail a run
    reads beside its openings): from the covering date index on PostgreSQL."""
    sql, schema = QUERIES["transactions"]
    if connection.vendor == "postgresql":
        frame = _read_transaction_rows("date > %s", [as_of, after])
    else:
        frame = _read_cursor(sql.format(where="date > %s"), [as_of, after], schema)
        frame = frame.with_columns(pl.col("type").cast(pl.Categorical))
    # Left out here rather than in SQL, where each row would be checked against every id.
    if exclude:
        frame = frame.filter(~pl.col("tenancy_id").is_in(pl.Series(exclude).implode()))
    return frame


def read_transactions_of(as_of: datetime.date, tenancy_ids: list[int]) -> pl.DataFrame:
    """Every transaction dated ≤ as_of of some tenancies (those read in full)."""
    if not tenancy_ids:
        schema = QUERIES["transactions"][1]
        return pl.DataFrame(schema=schema).with_columns(pl.col("type").cast(pl.Categorical))
    if connection.vendor == "postgresql":
        return _read_transaction_rows("tenancy_id = ANY(%s)", [as_of, tenancy_ids])
    parts = [read_table("transactions", as_of, tenancy_ids[i : i + _ID_CHUNK])
             for i in range(0, len(tenancy_ids), _ID_CHUNK)]
    return pl.concat(parts) if parts else read_table("transactions", as_of, [])
