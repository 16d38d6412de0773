"""The adapter's fast paths give exactly what the plain ones give (run on SQLite and PostgreSQL).

On PostgreSQL the transactions are read as one binary COPY row of arrays per tenancy and the
worklist rows are written with COPY; these tests hold them to a plain ORM read and to
bulk_create on a simulated landlord (on SQLite they check the plain paths the same way).
"""

import datetime

import polars as pl
import pytest
from django.db import connection, transaction
from django.utils import timezone

from openincome.cases.frames import read_table
from openincome.cases.models import WorklistEntry, WorklistRun
from openincome.cases.nightly import _entry, _store_entries, classify_as_of
from openincome.engine.reasons import explain
from openincome.ledger.models import Tenancy, Transaction
from openincome.policy.store import params_in_force

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 22)
KEY = ["tenancy_id", "date", "type", "amount"]


def _orm_transactions(as_of, tenancy_ids=None) -> pl.DataFrame:
    rows = Transaction.objects.filter(date__lte=as_of)
    if tenancy_ids is not None:
        rows = rows.filter(tenancy_id__in=tenancy_ids)
    values = [(t, d, ty, abs(a)) for t, d, ty, a in
              rows.values_list("tenancy_id", "date", "type", "amount")]
    schema = {"tenancy_id": pl.Int64, "date": pl.Date, "type": pl.String, "amount": pl.Int64}
    return pl.DataFrame(values, schema=schema, orient="row")


def _plain(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col("type").cast(pl.String)).sort(KEY)


def test_transactions_read_holds_every_row_in_tenancy_and_date_order(simulated):
    for as_of in (AS_OF, datetime.date(2025, 6, 30)):
        frame = read_table("transactions", as_of)
        assert frame.height > 1_000
        assert _plain(frame).equals(_plain(_orm_transactions(as_of)))
        assert frame.select(pl.col("type").cast(pl.String)).to_series().null_count() == 0
        # The order the engine groups by, so it sorts nothing.
        assert frame.select(["tenancy_id", "date"]).equals(
            frame.select(["tenancy_id", "date"]).sort(["tenancy_id", "date"]))


def test_transactions_read_for_some_tenancies_and_for_none(simulated):
    ids = list(Tenancy.objects.order_by("pk").values_list("pk", flat=True)[3:6])
    frame = read_table("transactions", AS_OF, ids)
    assert set(frame["tenancy_id"].unique()) <= set(ids)
    assert _plain(frame).equals(_plain(_orm_transactions(AS_OF, ids)))
    empty = read_table("transactions", datetime.date(1990, 1, 1))
    assert empty.height == 0 and empty.columns == KEY


def test_a_backdated_posting_is_read_in_its_place(simulated):
    tenancy = Tenancy.objects.order_by("pk").first()
    Transaction.objects.create(transaction_ref="LATE-1", tenancy=tenancy,
                               date=datetime.date(2025, 1, 6), type="adjustment_credit",
                               amount=-1234)
    frame = read_table("transactions", AS_OF)
    assert _plain(frame).equals(_plain(_orm_transactions(AS_OF)))
    ordered = frame.select(["tenancy_id", "date"])
    assert ordered.equals(ordered.sort(["tenancy_id", "date"]))


def test_stored_rows_are_the_rows_bulk_create_would_store(simulated):
    result = classify_as_of(AS_OF)
    policy, now = params_in_force(AS_OF), timezone.now()
    fields = [f.attname for f in WorklistEntry._meta.concrete_fields
              if f.attname not in ("id", "run_id")]
    with transaction.atomic():
        fast = WorklistRun.objects.create(as_of=AS_OF, policy_name="fast")
        plain = WorklistRun.objects.create(as_of=AS_OF + datetime.timedelta(days=1),
                                           policy_name="plain")
        stamps = {tid: 7 for tid in result["tenancy_id"].to_list()[::2]}
        _store_entries(fast, result, now, policy, stamps)
        # The plain way: every sentence made by explain, row by row.
        WorklistEntry.objects.bulk_create(
            _entry(plain, {
                **row,
                "explanations": [explain(c, row, policy) for c in row["reasons"]],
                "block_explanations": [explain(c, row, policy) for c in row["blocked_by"]],
            }, now, stamps)
            for row in result.iter_rows(named=True))
    stored = sorted(WorklistEntry.objects.filter(run=fast).values_list(*fields))
    expected = sorted(WorklistEntry.objects.filter(run=plain).values_list(*fields))
    assert len(stored) == result.height and stored == expected


def test_the_copy_decoder_turns_array_cells_into_the_engine_frame():
    """Dates from PostgreSQL's epoch, type codes to names (-1: unknown), rows as they came
    (out of date order: the engine checks the order and sorts if it must)."""
    import numpy as np

    from openincome.cases.frames import postgres

    def cells(values, kind):
        element = {"4": postgres._INT4, "2": postgres._INT2, "8": postgres._INT8}[kind]
        array = np.zeros(len(values), dtype=element)
        array["size"], array["value"] = element["value"].itemsize, values
        return len(values), array.tobytes()

    batches = postgres._Batches()
    batches.add(7, cells([9500, 9400, 9401], "4"), cells([0, 12, -1], "2"),
                cells([100, 50, 3], "8"))
    batches.add(9, cells([], "4"), cells([], "2"), cells([], "8"))  # a tenancy with none
    batches.flush()
    (frame,) = batches.frames
    assert frame["tenancy_id"].to_list() == [7, 7, 7]
    assert frame["type"].cast(pl.String).to_list() == ["rent", "payment_dd", None]
    assert frame["date"].to_list() == [datetime.date(2026, 1, 4), datetime.date(2025, 9, 26),
                                       datetime.date(2025, 9, 27)]
    assert frame["amount"].to_list() == [100, 50, 3]
    # A row per block of tenancies carries an array of ids instead.
    batches = postgres._Batches()
    batches.add(cells([7, 8], "8"), cells([9500, 9400], "4"), cells([0, 12], "2"),
                cells([100, 50], "8"))
    batches.flush()
    (frame,) = batches.frames
    assert frame["tenancy_id"].to_list() == [7, 8]
    assert frame["type"].cast(pl.String).to_list() == ["rent", "payment_dd"]


@pytest.mark.parametrize("low, high, parts, cuts, expected", [
    (1, 100, 2, [60], [(1, 60), (61, 100)]),
    (1, 100, 3, [60, 20, 20], [(1, 20), (21, 60), (61, 100)]),  # sorted, duplicates once
    (1, 100, 2, [None], [(1, 50), (51, 100)]),  # an empty sample: equal widths
    (1, 100, 2, [100], [(1, 50), (51, 100)]),  # a cut at the end cuts nothing
    (1, 100, 2, [0, 250], [(1, 50), (51, 100)]),  # outside the ids
])
def test_id_ranges_end_at_the_sampled_cuts(low, high, parts, cuts, expected):
    """The full read splits where the transactions split evenly, by a sample of them."""
    from openincome.cases.frames.postgres import id_ranges

    assert id_ranges(low, high, parts, cuts) == expected


@pytest.mark.parametrize("low, high, parts", [
    (1, 10, 2), (1, 10, 3), (5, 5, 4), (1, 3, 8), (100, 147_312, 2), (7, 1_000_003, 4),
])
def test_id_ranges_cover_every_id_once_in_order(low, high, parts):
    """The parallel full read splits tenancies into consecutive ranges: none lost or doubled."""
    from openincome.cases.frames.postgres import id_ranges

    ranges = id_ranges(low, high, parts)
    assert 1 <= len(ranges) <= parts
    assert ranges[0][0] == low and ranges[-1][1] == high
    for (_, end), (start, _) in zip(ranges, ranges[1:], strict=False):
        assert start == end + 1
    assert all(a <= b for a, b in ranges)


def test_a_frame_reads_for_more_tenancies_than_sqlite_binds_at_once(simulated):
    """The benefits query filters twice (claims and their history): its ids are bound twice."""
    from openincome.cases.frames import read_frame

    limit = None
    if connection.vendor == "sqlite":
        import sqlite3

        # SQLite's default limit (Debian builds it with a higher one), for this test only.
        connection.ensure_connection()
        limit = connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)
    real = list(Tenancy.objects.order_by("pk").values_list("pk", flat=True))
    ids = real + list(range(10**9, 10**9 + 40_000))  # ids of no tenancy pad the list
    try:
        for name in ("benefits", "charges"):
            every = read_frame(name)
            assert every.height > 0
            assert read_frame(name, ids).sort(every.columns).equals(every.sort(every.columns))
    finally:
        if limit is not None:
            connection.connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, limit)
