"""Benchmark: 10,000 quarterly rent statements rendered to PDF (target <= 3 minutes on this
2-core machine, <= 2 GiB). Not a pytest test.

Builds (or reuses) a simulated landlord of 10,000 homes x 1 year in the scratch PostgreSQL
database oi_letters_bench (benchmarks/_scale_data.py), then draws the last full quarter's
statement for the first 10,000 current tenancies with `letters.statements.write_all`, the
path `openincome statements` takes (set-wise reads, ReportLab, a process per core), into a
temporary folder. Prints the time, the rate, the peak memory of the parent and of the largest
worker, and checks a sample PDF's text. Records nothing. Without a PostgreSQL server at
127.0.0.1:5432 it says so and exits 0.

    .venv/bin/python benchmarks/bench_statements.py [--count 10000] [--processes 2] [--keep-db]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _scale_data as scale  # noqa: E402

DB = "oi_letters_bench"


def _cpu() -> float:
    """CPU seconds used so far by this process and its finished children."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--processes", type=int, default=0, help="default: one per core")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    try:
        scale._admin().close()
    except Exception as exc:  # noqa: BLE001 - no server: nothing to measure here
        print(f"no PostgreSQL server at 127.0.0.1:5432 ({exc}); skipped")
        return 0
    # About one home in a hundred is between tenancies at the quarter's end: simulate a few more.
    scale.ensure_landlord(DB, tenancies=args.count * 21 // 20, years=1)
    from openincome.letters.pdf import pdf_text
    from openincome.letters.statements import current_tenancies, quarter_bounds, write_all

    end_of_history = scale.history_end(1)
    q = (end_of_history.month - 1) // 3
    quarter = f"{end_of_history.year if q else end_of_history.year - 1}Q{q or 4}"
    _, end = quarter_bounds(quarter)
    ids = current_tenancies(end)[: args.count]
    # The machine is shared: the load before and after says how far to trust the wall time.
    print(f"  {len(ids):,} current tenancies, quarter {quarter}; load average before "
          f"{os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as out:
        cpu_before = _cpu()
        started = time.perf_counter()
        made = write_all(ids, quarter, out, processes=args.processes)
        seconds = time.perf_counter() - started
        cpu = _cpu() - cpu_before
        sample = sorted(Path(out).glob("*.pdf"))[len(ids) // 2]
        text = pdf_text(sample.read_bytes())
        assert "Your rent statement" in text and "payment reference" in text, text[:200]
        size = sum(p.stat().st_size for p in Path(out).glob("*.pdf"))
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ok = seconds <= 180 and max(parent, child) <= 2048
    print(f"statements: {made:,} PDFs in {seconds:.1f} s ({made / seconds:.0f}/s), "
          f"{size / made / 1024:.1f} KiB each; peak memory parent {parent:.0f} MiB, largest "
          f"worker {child:.0f} MiB; target <= 180 s and <= 2048 MiB: "
          f"{'met' if ok else 'MISSED'}")
    # The machine is shared: CPU seconds say what the run costs whatever else is running.
    print(f"  CPU: {cpu:.0f} s in all ({1000 * cpu / made:.0f} ms a statement), so "
          f"{cpu / 2:.0f} s of wall time on 2 idle cores; load average now "
          f"{os.getloadavg()[0]:.1f}")
    if not args.keep_db:
        from django.db import connections

        connections.close_all()
        scale.drop_database(DB)
    return 0


if __name__ == "__main__":
    sys.exit(main())
