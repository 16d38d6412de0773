"""Benchmark: a 200,000-row allpay file validated, matched and posted (target ≤ 60 s).

Not a test. Builds a landlord of 20,000 tenancies (with 200,000 ledger rows) through the
interchange import, writes an allpay transaction file (5% of rows with an unknown reference,
so they go to suspense; a few repeated transaction ids, so they are held), then times:
validating the file alone, importing it (validate + match + post), importing the same file
again (refused by its hash) and a changed copy of it (every row already imported):

    python benchmarks/bench_payment_import.py                  # a scratch SQLite file
    python benchmarks/bench_payment_import.py --db postgresql://postgres@127.0.0.1:5432/oi_bench

The PostgreSQL database must exist and be empty (createdb ...; dropdb ... afterwards).
"""

from __future__ import annotations

import argparse
import datetime
import shutil
import sys
import time
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))


def allpay_file(path: Path, rows: int, tenancies: int) -> None:
    """An allpay file of `rows` payments over March 2026 by the bench landlord's tenants."""
    i = pl.int_range(0, rows, eager=True)
    start = datetime.date(2026, 3, 1)
    frame = pl.DataFrame({"i": i}).select(
        # Every 5,000th row repeats the previous row's transaction id: held for finance.
        pl.format("AP{}", pl.when(pl.col("i") % 5000 == 4999).then(pl.col("i") - 1)
                  .otherwise(pl.col("i")).cast(pl.String).str.zfill(9)).alias("Transaction ID"),
        pl.when(pl.col("i") % 20 == 7).then(pl.format("UNKNOWN{}", pl.col("i")))
        .otherwise(pl.format("PAY{}", (pl.col("i") % tenancies).cast(pl.String).str.zfill(7)))
        .alias("Client Reference"),
        pl.format("{}.{}", 5 + pl.col("i") % 95,
                  (pl.col("i") % 100).cast(pl.String).str.zfill(2)).alias("Amount"),
        (pl.lit(start) + pl.duration(days=pl.col("i") % 28)).dt.strftime("%d/%m/%Y")
        .alias("Transaction Date"),
        pl.lit("PayPoint").alias("Payment Channel"),
    )
    frame.write_csv(path)


def main() -> int:
    """Build the landlord, write the file, import it; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--tenancies", type=int, default=20_000)
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    from _bench_db import Timer, empty_database

    scratch = empty_database(args.db, "oi-bench-pay-")
    from bench_import import generate
    from django.db import connection

    from openincome.interchange.api import import_folder
    from openincome.payments.actions import import_payment_file, read_payment_file

    started = time.perf_counter()
    generate(scratch / "landlord", args.tenancies, args.tenancies * 10, False)
    import_folder(scratch / "landlord", actor="bench")
    path = scratch / "allpay.csv"
    allpay_file(path, args.rows, args.tenancies)
    print(f"database: {connection.vendor}; landlord of {args.tenancies:,} tenancies and "
          f"allpay file of {args.rows:,} rows ready in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    read_payment_file(path, "allpay")
    print(f"validate only: {time.perf_counter() - started:.1f} s")
    with Timer() as timer:
        summary = import_payment_file(path, "allpay", actor="bench")
    seconds, cpu = timer.seconds, timer.cpu
    print(f"import (validate + match + post): {seconds:.1f} s ({cpu:.1f} s CPU in this "
          f"process), {args.rows / seconds:,.0f} rows/s; target ≤ 60 s: "
          f"{'met' if seconds <= 60 else 'MISSED'}")
    for line in summary.summary_lines():
        print(line)
    started = time.perf_counter()
    again = import_payment_file(path, "allpay", actor="bench")
    print(f"same file again: {time.perf_counter() - started:.1f} s "
          f"({'refused by its hash' if again.seen_before else 'NOT refused'})")
    changed = scratch / "allpay-again.csv"
    changed.write_bytes(path.read_bytes() + b"\n")
    started = time.perf_counter()
    overlap = import_payment_file(changed, "allpay", actor="bench")
    print(f"changed copy (every row seen before): {time.perf_counter() - started:.1f} s, "
          f"{overlap.already[0]:,} already imported, {overlap.posted[0]:,} posted")
    if args.keep:
        print(f"scratch files kept in {scratch}")
    else:
        shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
