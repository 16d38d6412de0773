"""Benchmark: import (and re-import, and export) of a big interchange folder.

Not a test. Generates 10,000 tenancies with 1,000,000 transactions (by default), imports them
into a fresh database and prints seconds and rows per second for each phase:

    python benchmarks/bench_import.py                       # a scratch SQLite file
    python benchmarks/bench_import.py --db postgresql://postgres@127.0.0.1:5432/oi_bench
    python benchmarks/bench_import.py --transactions 200000 --quoted

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


def generate(folder: Path, tenancies: int, transactions: int, quoted: bool) -> None:
    """Write a synthetic interchange folder with Polars (seconds, not minutes)."""
    folder.mkdir(parents=True, exist_ok=True)
    refs = pl.Series([f"BT-{i:06d}" for i in range(tenancies)])
    props = pl.Series([f"BP-{i:06d}" for i in range(tenancies)])
    (folder / "manifest.csv").write_text(
        "format_version,landlord_name,exported_at\r\n1,Bench Homes,2026-11-23\r\n"
    )
    pl.DataFrame(
        {
            "property_ref": props,
            "address_line_1": [f"{i} Long Road" for i in range(tenancies)],
            "postcode": ["NN1 1AA"] * tenancies,
            "property_type": ["flat"] * tenancies,
            "bedrooms": ["2"] * tenancies,
            "patch": [f"PATCH{i % 20:02d}" for i in range(tenancies)],
        }
    ).write_csv(folder / "properties.csv")
    pl.DataFrame(
        {
            "tenancy_ref": refs,
            "property_ref": props,
            "tenure": ["secure"] * tenancies,
            "start_date": ["2015-04-06"] * tenancies,
            "payment_reference": [f"PAY{i:07d}" for i in range(tenancies)],
        }
    ).write_csv(folder / "tenancies.csv")
    pl.DataFrame(
        {
            "tenancy_ref": refs,
            "person_ref": refs + "-1",
            "first_name": ["Sam"] * tenancies,
            "last_name": ["Jones"] * tenancies,
            "is_lead": ["true"] * tenancies,
        }
    ).write_csv(folder / "tenants.csv")
    pl.DataFrame(
        {
            "tenancy_ref": refs,
            "charge_code": ["rent"] * tenancies,
            "amount": ["101.25"] * tenancies,
            "frequency": ["weekly"] * tenancies,
            "effective_from": ["2015-04-06"] * tenancies,
        }
    ).write_csv(folder / "charges.csv")
    i = pl.int_range(0, transactions, eager=True)
    per = max(1, transactions // tenancies)
    week = (i % per) // 2
    start = datetime.date(2015, 4, 6)
    frame = pl.DataFrame({"i": i}).select(
        pl.format("TX{}", pl.col("i").cast(pl.String).str.zfill(9)).alias("transaction_ref"),
        pl.format("BT-{}", ((pl.col("i") // per) % tenancies).cast(pl.String).str.zfill(6)).alias(
            "tenancy_ref"
        ),
        (pl.lit(start) + pl.duration(days=week * 7 + (pl.col("i") % 2) * 3))
        .cast(pl.String)
        .alias("date"),
        pl.when(pl.col("i") % 2 == 0)
        .then(pl.lit("rent"))
        .otherwise(pl.lit("payment_dd"))
        .alias("type"),
        pl.format(
            "{}.{}", 90 + pl.col("i") % 20, (pl.col("i") % 100).cast(pl.String).str.zfill(2)
        ).alias("amount"),
        pl.when(pl.col("i") % 7 == 0)
        .then(pl.lit("Payment, thank you" if quoted else "Payment thank you"))
        .otherwise(pl.lit(None, dtype=pl.String))  # an empty cell, not ""
        .alias("description"),
    )
    frame.write_csv(folder / "transactions.csv", null_value="")


def main() -> int:
    """Generate, import, re-import and export; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a scratch SQLite file)")
    parser.add_argument("--tenancies", type=int, default=10_000)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--quoted", action="store_true", help="descriptions with commas")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    from _bench_db import Timer, empty_database

    scratch = empty_database(args.db, "oi-bench-")
    from django.db import connection

    from openincome.interchange.api import export_folder, import_folder

    folder = scratch / "folder"
    started = time.perf_counter()
    generate(folder, args.tenancies, args.transactions, args.quoted)
    print(f"database: {connection.vendor}; folder: {folder}")
    print(f"generate: {time.perf_counter() - started:.1f} s")
    progress = sys.stderr.isatty()

    for label in ("import", "re-import"):
        with Timer() as timer:
            result = import_folder(folder, actor="bench", progress=progress)
        seconds, cpu = timer.seconds, timer.cpu
        rows = result.total.new + result.total.unchanged
        print(
            f"{label}: {seconds:.1f} s ({cpu:.1f} s CPU in this process), "
            f"{rows / seconds:,.0f} rows/s ({result.summary_lines()[-1]})"
        )

    started, cpu = time.perf_counter(), time.process_time()
    written = export_folder(scratch / "export")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = sum(written.values())
    print(f"export: {seconds:.1f} s ({cpu:.1f} s CPU), {rows / seconds:,.0f} rows/s")
    if args.keep:
        print(f"scratch files kept in {scratch}")
    else:
        shutil.rmtree(scratch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
