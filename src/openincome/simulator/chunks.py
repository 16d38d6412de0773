"""Chunks of tenancies simulated independently, in worker processes when there are several."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .assemble import chunk_records
from .rentcal import Calendar
from .sim import ChunkInput, ChunkSim
from .truth import truth_frame
from .writer import FIRST_TRANSACTION_REF, REF_SPAN, write_transactions


@dataclass
class ChunkJob:
    """Everything a worker needs for one chunk."""

    number: int
    cal: Calendar
    inp: ChunkInput
    seed: np.random.SeedSequence
    hb_phase: int
    refs: np.ndarray  # tenancy refs of the chunk
    parts: Path  # folder for the chunk's part files


@dataclass
class ChunkResult:
    """What one chunk produced: part files for the big outputs, records in memory."""

    lo: int
    transactions: Path
    transaction_rows: int
    truth: Path
    truth_rows: int
    records: dict[str, dict[str, np.ndarray]]
    end: np.ndarray
    end_reason: np.ndarray


def run_chunk(job: ChunkJob) -> ChunkResult:
    """Simulate one chunk through every week; write its transactions and truth as parts."""
    cal = job.cal
    sim = ChunkSim(cal, job.inp, np.random.default_rng(job.seed), job.hb_phase)
    sim.run()
    lo = job.inp.lo
    tx_path = job.parts / f"transactions-{job.number:05d}.csv"
    first_ref = FIRST_TRANSACTION_REF + job.number * REF_SPAN
    found: dict = {}
    n_tx = write_transactions(
        tx_path, sim.log.columns(), job.refs, cal.first_day, cal.end_day, first_ref, found
    )
    if n_tx >= REF_SPAN:
        raise RuntimeError("too many transactions in one chunk for its ref range")
    truth = truth_frame(
        cal,
        job.refs,
        sim.start,
        sim.end,
        job.inp.p.persona,
        sim.snap_bal,
        sim.no_real,
        sim.touched,
        sim.snap_tech,
        sim.snap_circ,
        sim.snap_fund,
        sim.snap_plan,
    )
    truth_path = job.parts / f"truth-{job.number:05d}.csv"
    truth.write_csv(truth_path, include_header=False)
    records = chunk_records(sim, lo)
    hbop = found["hb_overpayments"]
    records["hb_overpayments"] = {**hbop, "t": hbop["t"] + lo}
    return ChunkResult(
        lo, tx_path, n_tx, truth_path, truth.height, records, sim.end, sim.end_reason
    )


def worker_count(n_chunks: int) -> int:
    """Worker processes to use: OPENINCOME_SIM_WORKERS, else one per CPU (at most 4)."""
    env = os.environ.get("OPENINCOME_SIM_WORKERS")
    wanted = int(env) if env else min(os.cpu_count() or 1, 4)
    return max(1, min(wanted, n_chunks))


def run_chunks(jobs: list[ChunkJob]) -> Iterator[ChunkResult]:
    """Results in chunk order; several chunks run at once in spawned worker processes.

    A chunk's output depends only on its job, so the files are the same however many
    workers run. At most `workers` results wait in memory for the writer.
    """
    workers = worker_count(len(jobs))
    if workers == 1:
        for job in jobs:
            yield run_chunk(job)
        return
    # spawn, not fork: Polars' thread pool must not be copied into a forked child.
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: list[Future] = []
        nxt = 0
        while nxt < len(jobs) and len(pending) < workers:
            pending.append(pool.submit(run_chunk, jobs[nxt]))
            nxt += 1
        while pending:
            result = pending.pop(0).result()
            if nxt < len(jobs):
                pending.append(pool.submit(run_chunk, jobs[nxt]))
                nxt += 1
            yield result
