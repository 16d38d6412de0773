"""`simulate()`: a synthetic landlord written as an interchange folder, with ground truth.

`tenancies` counts properties (homes and garages). Every property is let when the history
ends, bar the few whose tenant was evicted or whose garage let was ended, so there are about
that many current tenancies at the end; the tenancies that ended during the history come on
top (roughly a tenth of properties change hands each year).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from .assemble import write_records
from .behaviour import assign_personas
from .charges import build_charges, charge_rows
from .chunks import ChunkJob, run_chunks
from .people import CHANNELS, build_people
from .records import NULL
from .rentcal import DEFAULT_END, NO_END, add_months, add_years, build_calendar, to_date
from .sim import ChunkInput, slice_personas
from .stock import TENURES, TRIAL_EXTENDED_MONTHS, build_lettings, build_stock, trial_extended
from .truth import TRUTH_COLUMNS
from .writer import COLUMNS, append_file, day_or_null, numbered, tenancy_refs, write

FORMAT_VERSION = 1
CHUNK = 16384  # tenancies simulated together; fixed, so output never depends on the machine
MAX_TENANCIES = 5_000_000
MAX_YEARS = 30


@dataclass
class SimulationSummary:
    """What `simulate()` wrote."""

    out: Path
    start: dt.date
    end: dt.date
    seed: int
    properties: int
    tenancies: int
    current_tenancies: int
    former_tenancies: int
    rows: dict[str, int] = field(default_factory=dict)

    def describe(self) -> str:
        """One line per file, for the command's output."""
        lines = [
            f"Simulated {self.tenancies:,} tenancies ({self.current_tenancies:,} current, "
            f"{self.former_tenancies:,} former) in {self.properties:,} properties, "
            f"{self.start} to {self.end}, seed {self.seed}, into {self.out}",
        ]
        lines += [f"  {name}: {n:,} rows" for name, n in self.rows.items()]
        return "\n".join(lines)


def history_dates(years: int, start: dt.date | None) -> tuple[dt.date, dt.date]:
    """The first and last day of the history: `years` years ending DEFAULT_END, or from start."""
    if start is None:
        end = DEFAULT_END
        return add_years(end + dt.timedelta(days=1), -years), end
    return start, add_years(start, years) - dt.timedelta(days=1)


def check_arguments(tenancies: int, years: int, seed: int, out: Path) -> None:
    """Raise ValueError with a clear message for arguments the simulator cannot use."""
    if not isinstance(tenancies, int) or not 1 <= tenancies <= MAX_TENANCIES:
        raise ValueError(f"--tenancies must be a whole number from 1 to {MAX_TENANCIES:,}")
    if not isinstance(years, int) or not 1 <= years <= MAX_YEARS:
        raise ValueError(f"--years must be a whole number from 1 to {MAX_YEARS}")
    if not isinstance(seed, int) or seed < 0:
        raise ValueError("--seed must be a whole number, 0 or more")
    if out.exists() and not out.is_dir():
        raise ValueError(f"--out {out} exists and is not a directory")
    if out.is_dir() and any(out.iterdir()):
        raise ValueError(f"--out {out} is not empty; choose a new or empty directory")


def simulate(
    tenancies: int,
    years: int,
    seed: int,
    out: Path,
    start: dt.date | None = None,
    progress: bool = False,
) -> SimulationSummary:
    """Write a synthetic landlord of `tenancies` homes and garages over `years` years to `out`."""
    out = Path(out)
    check_arguments(tenancies, years, seed, out)
    first, last = history_dates(years, start)
    cal = build_calendar(first, last)
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)]
    stock = build_stock(tenancies, streams[0])
    lettings = build_lettings(stock, cal, streams[1])
    m = len(lettings)
    refs = tenancy_refs(m)
    people = build_people(lettings, cal.end_day, refs.tolist(), streams[2])
    charges = build_charges(stock, lettings, cal, streams[3])
    personas = assign_personas(
        lettings,
        stock.temporary[lettings.prop],
        people.age_at_end,
        people.vulnerable,
        stock.council[lettings.prop],
        cal,
        streams[4],
    )
    hb_phase = int(streams[5].integers(0, 4))
    chunk_seeds = np.random.SeedSequence(seed).spawn(8 + (m + CHUNK - 1) // CHUNK)[8:]

    out.mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(exist_ok=True)
    end = lettings.end.astype(np.int64).copy()
    end_reason = personas.end_reason.copy()
    tx_path = out / "transactions.csv"
    truth_path = out / "truth" / "truth.csv"
    tx_path.write_text(",".join(COLUMNS["transactions.csv"]) + "\n", encoding="utf-8")
    truth_path.write_text(",".join(TRUTH_COLUMNS) + "\n", encoding="utf-8")
    parts = out / ".parts"  # chunk outputs, appended in order then deleted
    parts.mkdir()
    records: list[dict[str, dict[str, np.ndarray]]] = []
    n_chunks = (m + CHUNK - 1) // CHUNK
    jobs = []
    for c in range(n_chunks):
        lo, hi = c * CHUNK, min(m, (c + 1) * CHUNK)
        inp = ChunkInput(
            lo=lo,
            council=stock.council[lettings.prop[lo:hi]],
            start=lettings.start[lo:hi],
            end=lettings.end[lo:hi],
            tenure=lettings.tenure[lo:hi],
            vulnerable=people.vulnerable[lo:hi],
            mental=people.mental_health[lo:hi],
            channel=people.channel[lo:hi],
            weekly=charges.weekly[lo:hi],
            p=slice_personas(personas, lo, hi),
        )
        jobs.append(ChunkJob(c, cal, inp, chunk_seeds[c], hb_phase, refs[lo:hi], parts))
    tick, close = _progress(progress, n_chunks)
    tx_rows = truth_rows = 0
    try:
        for res in run_chunks(jobs):
            append_file(tx_path, res.transactions)
            append_file(truth_path, res.truth)
            tx_rows += res.transaction_rows
            truth_rows += res.truth_rows
            records.append(res.records)
            end[res.lo : res.lo + len(res.end)] = res.end
            end_reason[res.lo : res.lo + len(res.end)] = res.end_reason
            if tick is not None:
                tick(1)
    finally:
        close()
        shutil.rmtree(parts, ignore_errors=True)

    rows: dict[str, int] = {}
    town = stock.frame["town"][0]
    rows["manifest.csv"] = write(
        pl.DataFrame(
            {
                "format_version": [FORMAT_VERSION],
                "landlord_name": [f"{town} Homes"],
                "exported_at": [last],
            }
        ),
        out / "manifest.csv",
    )
    free = [to_date(int(m)) for m, c in zip(cal.mondays, cal.chargeable, strict=True) if not c]
    rows["rent_free_weeks.csv"] = write(
        pl.DataFrame({"week_start": pl.Series(free, dtype=pl.Date),
                      "note": ["Christmas and New Year"] * len(free)}),
        out / "rent_free_weeks.csv",
    )
    rows["properties.csv"] = write(stock.frame, out / "properties.csv")
    final_end = np.where(end >= NO_END, NULL, end)
    numbers = np.arange(1, m + 1)
    trial = np.isin(np.array(TENURES)[lettings.tenure], ["introductory", "starter"])
    extended = trial & trial_extended(m)
    trial_end = np.where(extended, add_months(lettings.start, TRIAL_EXTENDED_MONTHS), NULL)
    rows["tenancies.csv"] = write(
        pl.DataFrame(
            {
                "tenancy_ref": refs,
                "property_ref": numbered("P", lettings.prop + 1, 6),
                "tenure": np.array(TENURES)[lettings.tenure],
                "start_date": pl.Series(lettings.start).cast(pl.Date),
                "end_date": day_or_null(final_end),
                "trial_end_date": day_or_null(trial_end),
                "payment_reference": np.char.add(
                    numbered("RA", numbers, 7),
                    ((numbers * 7 + 3) % 10).astype(str),
                ),
                "preferred_channel": np.array(CHANNELS)[people.channel],
            }
        ),
        out / "tenancies.csv",
    )
    rows["tenants.csv"] = write(people.frame, out / "tenants.csv")
    rows["charges.csv"] = write(
        charge_rows(charges, lettings, end, cal, refs).with_columns(
            pl.col("amount").cast(pl.Decimal(20, 2)) / 100
        ),
        out / "charges.csv",
    )
    rows["transactions.csv"] = tx_rows
    rows.update(write_records(records, refs, out, cal.end_day))
    rows["truth/truth.csv"] = truth_rows
    current = int(((lettings.start <= cal.end_day) & (end > cal.end_day)).sum())
    return SimulationSummary(
        out=out,
        start=first,
        end=last,
        seed=seed,
        properties=len(stock),
        tenancies=m,
        current_tenancies=current,
        former_tenancies=m - current,
        rows=rows,
    )


def _progress(enabled: bool, total: int) -> tuple[Callable[[int], None] | None, Callable]:
    """A tqdm bar on stderr when asked for (the command asks only on a terminal)."""
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = tqdm(total=total, unit="chunk", desc="simulating", leave=False)
    return bar.update, bar.close
