"""Benchmark the pure engine core: classify() on a synthetic landlord of any size.

Synthesises frames with NumPy (default 100,000 tenancies × 5 years of weekly rent and
payments, ≈52M transaction rows) and caches them as Parquet under bench-data/; then, in a
fresh process holding only those frames (as an adapter would), times `classify` alone and
reports the peak resident memory during it (the kernel's high-water mark, reset first).

    .venv/bin/python benchmarks/bench_engine_core.py [--tenancies N] [--years Y]
        [--order tenancy|date] [--type-dtype string|categorical]
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from openincome.engine import EngineInputs, classify  # noqa: E402
from openincome.policy.defaults import DEFAULT_POLICY  # noqa: E402

EPOCH = datetime.date(1970, 1, 1)
PAYMENT_TYPES = ["payment_dd", "payment_card", "payment_bank", "hb", "uc_direct"]


def _days(d: datetime.date) -> int:
    return (d - EPOCH).days


def synthesise(tenancies: int, years: int, seed: int, as_of: datetime.date) -> EngineInputs:
    """Frames for `tenancies` weekly-rent tenancies over `years` years ending at as_of."""
    rng = np.random.default_rng(seed)
    weeks = 52 * years
    first_monday = _days(as_of) - (as_of.weekday()) - 7 * (weeks - 1)
    ids = np.arange(1, tenancies + 1, dtype=np.int64)
    rent = rng.integers(8_000, 16_000, tenancies).astype(np.int64)

    # Rent every Monday; one payment a week on the tenant's own weekday. Payers pay the rent,
    # some a little less (arrears build), some skip weeks.
    tid = np.repeat(ids, weeks)
    week = np.tile(np.arange(weeks, dtype=np.int64), tenancies)
    rent_rows = rent[tid - 1]
    pay_day = rng.integers(0, 5, tenancies)[tid - 1]
    # 8% of tenants pay 2% short every week; 3% of weeks are missed and caught up the next.
    short = rng.random(tenancies) < 0.08
    pay_amount = np.where(short[tid - 1], rent_rows * 98 // 100, rent_rows)
    skipped = rng.random(tid.size) < 0.03
    catch_up = np.roll(skipped, 1) & (week > 0)
    pay_amount = np.where(skipped, 0, pay_amount + np.where(catch_up, rent_rows, 0))
    pay_type = rng.integers(0, len(PAYMENT_TYPES), tenancies)[tid - 1]

    n = tid.size
    tx_tid = np.empty(2 * n, dtype=np.int64)
    tx_date = np.empty(2 * n, dtype=np.int32)
    tx_code = np.empty(2 * n, dtype=np.int8)
    tx_amount = np.empty(2 * n, dtype=np.int64)
    tx_tid[0::2] = tid
    tx_tid[1::2] = tid
    tx_date[0::2] = first_monday + 7 * week
    tx_date[1::2] = first_monday + 7 * week + pay_day
    tx_code[0::2] = -1
    tx_code[1::2] = pay_type
    tx_amount[0::2] = rent_rows
    tx_amount[1::2] = pay_amount
    keep = tx_amount > 0
    labels = ["rent", *PAYMENT_TYPES]
    transactions = pl.DataFrame(
        {
            "tenancy_id": tx_tid[keep],
            "date": pl.Series(tx_date[keep]).cast(pl.Date),
            "code": tx_code[keep] + 1,
            "amount": tx_amount[keep],
        }
    )
    transactions = transactions.select(
        "tenancy_id", "date", type=pl.lit(pl.Series(labels)).gather(pl.col("code")), amount="amount"
    )

    start = pl.Series(np.full(tenancies, first_monday, dtype=np.int32)).cast(pl.Date)
    tenure = np.array(["secure", "assured", "introductory", "flexible"])[
        rng.integers(0, 4, tenancies)
    ]
    tenancy_frame = pl.DataFrame(
        {
            "tenancy_id": ids,
            "tenancy_ref": [f"T{i:07d}" for i in ids],
            "patch": np.array(["NORTH", "SOUTH", "EAST", "WEST"])[ids % 4],
            "tenure": tenure,
            "start_date": start,
            "end_date": pl.Series([None] * tenancies, dtype=pl.Date),
            "vulnerable": rng.random(tenancies) < 0.1,
        }
    )
    charges = pl.DataFrame(
        {
            "tenancy_id": ids,
            "charge_code": ["rent"] * tenancies,
            "amount": rent,
            "frequency": ["weekly"] * tenancies,
            "effective_from": start,
            "effective_to": pl.Series([None] * tenancies, dtype=pl.Date),
        }
    )
    # A few recorded actions, notices, benefits and pauses so every branch does some work.
    some = ids[rng.random(tenancies) < 0.3]
    codes = np.array(["reminder_sent", "letter_1_sent", "letter_2_sent", "contact_attempted"])
    actions = pl.DataFrame(
        {
            "tenancy_id": np.repeat(some, 3),
            "date": pl.Series(
                _days(as_of) - rng.integers(0, 120, some.size * 3).astype(np.int32)
            ).cast(pl.Date),
            "code": codes[rng.integers(0, 4, some.size * 3)],
        }
    )
    few = ids[rng.random(tenancies) < 0.03]
    notices = pl.DataFrame(
        {
            "notice_ref": [f"N{i}" for i in few],
            "tenancy_id": few,
            "kind": ["nosp_secure"] * few.size,
            "served_date": pl.Series(
                _days(as_of) - rng.integers(0, 400, few.size).astype(np.int32)
            ).cast(pl.Date),
        }
    )
    claimants = ids[rng.random(tenancies) < 0.3]
    benefits = pl.DataFrame(
        {
            "tenancy_id": claimants,
            "claim_ref": [f"C{i}" for i in claimants],
            "benefit": np.array(["hb", "uc"])[claimants % 2],
            "status": ["in_payment"] * claimants.size,
            "status_date": start[: claimants.size],
            "direct_to_landlord": claimants % 3 == 0,
        }
    )
    paused = ids[rng.random(tenancies) < 0.01]
    pauses = pl.DataFrame(
        {
            "tenancy_id": paused,
            "reason": np.array(["breathing_space_standard", "hospital"])[paused % 2],
            "start_date": pl.Series(
                _days(as_of) - rng.integers(0, 90, paused.size).astype(np.int32)
            ).cast(pl.Date),
        }
    )
    # Court orders made about a year ago (their starting balance is arrears on that day) and
    # live agreements.
    sued = ids[rng.random(tenancies) < 0.005]
    hearing = _days(as_of) - rng.integers(200, 500, sued.size).astype(np.int32)
    court_cases = pl.DataFrame(
        {
            "case_ref": [f"K{i}" for i in sued],
            "tenancy_id": sued,
            "claim_date": pl.Series(hearing - 60).cast(pl.Date),
            "hearing_date": pl.Series(hearing).cast(pl.Date),
            "outcome": ["spo"] * sued.size,
            "terms_instalment": [500] * sued.size,
        }
    )
    agreed = ids[rng.random(tenancies) < 0.05]
    agreements = pl.DataFrame(
        {
            "agreement_ref": [f"A{i}" for i in agreed],
            "tenancy_id": agreed,
            "kind": ["informal"] * agreed.size,
            "start_date": pl.Series(
                _days(as_of) - rng.integers(0, 300, agreed.size).astype(np.int32)
            ).cast(pl.Date),
            "starting_balance": rng.integers(10_000, 100_000, agreed.size),
            "instalment": rng.integers(500, 2_000, agreed.size),
            "frequency": ["weekly"] * agreed.size,
            "status": ["live"] * agreed.size,
        }
    )
    return EngineInputs(
        tenancies=tenancy_frame,
        court_cases=court_cases,
        agreements=agreements,
        transactions=transactions,
        charges=charges,
        benefits=benefits,
        notices=notices,
        pauses=pauses,
        actions=actions,
    )


def _reset_peak_rss() -> bool:
    """Reset the kernel's resident high-water mark for this process (Linux)."""
    try:
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_gib() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**20
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def _rss_gib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 2**20
    return float("nan")


def _save(inputs: EngineInputs, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in inputs.__dataclass_fields__:
        getattr(inputs, name).write_parquet(folder / f"{name}.parquet")


def _load(folder: Path) -> EngineInputs:
    return EngineInputs(
        **{
            name: pl.read_parquet(folder / f"{name}.parquet")
            for name in EngineInputs.__dataclass_fields__
        }
    )


def measure(folder: Path, as_of: datetime.date) -> None:
    """Load saved frames (as an adapter would hold them), then time classify alone."""
    t0 = time.perf_counter()
    inputs = _load(folder)
    rows = inputs.transactions.height
    input_gib = sum(
        getattr(inputs, name).estimated_size() for name in inputs.__dataclass_fields__
    ) / 2**30
    print(f"loaded {rows:,} transactions in {time.perf_counter() - t0:.1f} s; input frames "
          f"{input_gib:.2f} GiB; RSS before classify {_rss_gib():.2f} GiB")
    reset = _reset_peak_rss()
    t0 = time.perf_counter()
    result = classify(inputs, DEFAULT_POLICY, as_of)
    elapsed = time.perf_counter() - t0
    peak = _peak_rss_gib()
    print(f"classify: {elapsed:.2f} s for {result.height:,} tenancies "
          f"({rows / elapsed / 1e6:.1f}M transactions/s)")
    label = "peak RSS during classify" if reset else "peak RSS of the process"
    print(f"{label}: {peak:.2f} GiB")
    counts = result.group_by("action").len().sort("len", descending=True)
    print("actions:", ", ".join(f"{a}={n}" for a, n in counts.iter_rows()))


def main() -> None:
    """Synthesise (or reuse) the frames, then classify them in a fresh process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenancies", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--as-of", type=datetime.date.fromisoformat, default="2026-03-04")
    parser.add_argument(
        "--order",
        choices=["tenancy", "date"],
        default="tenancy",
        help="transaction row order: by tenancy then date (ORDER BY tenancy_id, date), or "
        "by date as a ledger table fills up (the engine sorts them)",
    )
    parser.add_argument(
        "--type-dtype",
        choices=["string", "categorical"],
        default="string",
        help="dtype of transactions.type as the adapter reads it",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=Path(__file__).resolve().parents[1] / "bench-data",
        help="where the synthesised frames are cached as Parquet (reused when present)",
    )
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.measure, args.as_of)
        return

    name = (f"engine-{args.tenancies}x{args.years}y-s{args.seed}-{args.as_of}-{args.order}-"
            f"{args.type_dtype}")
    folder = args.data_dir / name
    if not (folder / "actions.parquet").exists():
        t0 = time.perf_counter()
        inputs = synthesise(args.tenancies, args.years, args.seed, args.as_of)
        if args.order == "date":
            inputs.transactions = inputs.transactions.sort("date", maintain_order=True)
        if args.type_dtype == "categorical":
            inputs.transactions = inputs.transactions.with_columns(
                pl.col("type").cast(pl.Categorical)
            )
        _save(inputs, folder)
        print(f"synthesised {args.tenancies:,} tenancies × {args.years} years in "
              f"{time.perf_counter() - t0:.1f} s into {folder}")
        del inputs
    print(f"transactions ordered by {args.order}, type as {args.type_dtype}")
    # A fresh process, so the figures hold only what an adapter would hold: the frames.
    subprocess.run(
        [sys.executable, __file__, "--measure", str(folder), "--as-of", str(args.as_of)],
        check=True,
    )


if __name__ == "__main__":
    main()
