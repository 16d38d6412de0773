"""Benchmark `openincome simulate` (not a pytest test): wall time and peak memory.

    .venv/bin/python benchmarks/bench_simulator.py [--tenancies 100000] [--years 5] [--seed 1]
        [--out bench-data/sim] [--report] [--keep]

The target is 100,000 tenancies x 5 years in at most 120 s and 4 GiB.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from openincome.simulator import simulate
from openincome.simulator.chunks import worker_count
from openincome.simulator.report import realism_report

TARGET_SECONDS = 120.0
TARGET_GIB = 4.0


def main() -> int:
    """Run the simulator once at benchmark size and print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tenancies", type=int, default=100_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, default=Path("bench-data/sim"))
    ap.add_argument("--report", action="store_true", help="also print the realism report")
    ap.add_argument("--keep", action="store_true", help="keep the output folder")
    args = ap.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)

    t0 = time.perf_counter()
    summary = simulate(args.tenancies, args.years, args.seed, args.out)
    seconds = time.perf_counter() - t0
    # ru_maxrss is in KiB on Linux. Workers run in parallel, so add the largest worker's
    # peak once per worker to this process's peak: an upper bound on the memory in use.
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = worker_count(10**6) if kids.ru_maxrss else 0
    peak_gib = (me.ru_maxrss + workers * kids.ru_maxrss) / 2**20
    cpu = me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime
    size_gib = sum(f.stat().st_size for f in args.out.rglob("*") if f.is_file()) / 2**30

    print(summary.describe())
    print(
        f"wall time: {seconds:.1f} s (target <= {TARGET_SECONDS:.0f} s); CPU time {cpu:.1f} s "
        f"(this process {me.ru_utime + me.ru_stime:.1f} s, workers "
        f"{kids.ru_utime + kids.ru_stime:.1f} s)"
    )
    print(
        f"peak RSS: {peak_gib:.2f} GiB (target <= {TARGET_GIB:.0f} GiB): main "
        f"{me.ru_maxrss / 2**20:.2f} GiB + {workers} worker(s) x {kids.ru_maxrss / 2**20:.2f} GiB"
    )
    print(f"load average while running: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"output: {size_gib:.2f} GiB on disk")
    ok = seconds <= TARGET_SECONDS and peak_gib <= TARGET_GIB
    if args.report:
        t1 = time.perf_counter()
        report = realism_report(args.out)
        print(report.format())
        print(f"report time: {time.perf_counter() - t1:.1f} s")
        ok = ok and report.within_targets()
    if not args.keep:
        shutil.rmtree(args.out, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
