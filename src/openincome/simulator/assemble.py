"""Case records of every chunk finalised and written: benefits, agreements, notices, court
cases, pauses and recorded actions, each with sequential refs in tenancy and date order."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from openincome.ledger import vocab as ledger_vocab

from . import behaviour as bh
from .records import NULL
from .vocab import (
    ACTION_CHANNELS,
    ACTION_CODES,
    NOTES,
    NOTICE_KINDS,
    OUTCOMES,
    PAUSE_REASONS,
    WITHDRAWN,
)
from .writer import day_or_null, numbered, write

if TYPE_CHECKING:
    from .sim import ChunkSim

# The ledger's vocabularies; a value's code is its index.
FREQUENCIES = ledger_vocab.FREQUENCIES
AGREEMENT_STATUSES = ledger_vocab.AGREEMENT_STATUSES
CLAIM_STATUSES = ledger_vocab.BENEFIT_STATUSES
BENEFITS = ledger_vocab.BENEFITS
RECENT_CLAIM_DAYS = 14  # a claim this new is still "claimed": DWP has not confirmed it yet


def chunk_records(sim: ChunkSim, lo: int) -> dict[str, dict[str, np.ndarray]]:
    """The chunk's records, finalised as of the end of the history, with global tenancy index."""
    cal = sim.cal
    end_day = cal.end_day
    off = sim.officer
    ended = sim.end <= end_day
    y_last = cal.rent_year[cal.week_of(np.minimum(sim.end, end_day))].astype(np.int64)

    claims = dict(sim.claims.data())
    t = claims["t"]
    yl = y_last[t]
    # One cycle: a week's rent rebate, four weeks of HB, or a month of UC housing costs.
    claims["expected"] = np.where(
        claims["benefit"] == 0,
        np.where(claims["freq"] == 0, 1, 4) * sim.hb_week[yl, t],
        sim.uc_month[yl, t],
    )
    fresh = (claims["status"] == 1) & (claims["status_day"] > end_day - RECENT_CLAIM_DAYS)
    claims["status"] = np.where(fresh, 0, claims["status"])
    claims["status_day"] = np.minimum(claims["status_day"], end_day)

    agreements = dict(off.agreements.data())
    live_on_ended = (agreements["status"] == 0) & ended[agreements["t"]]
    agreements["status"] = np.where(live_on_ended, 1, agreements["status"])

    cases = dict(off.cases.data())
    ct = cases["t"]
    latest = off.case[ct] == np.arange(len(ct))
    ev = off.evict_day[ct]
    done = latest & (sim.end_reason[ct] == bh.END_EVICTED) & (sim.end[ct] == ev)
    scheduled = latest & (ev > end_day) & ~ended[ct]
    cases["eviction"] = np.where(done | scheduled, ev, NULL)
    # A claim still waiting for its hearing when the tenant left is withdrawn then.
    left = (cases["outcome"] < 0) & ended[ct] & (cases["hearing"] >= sim.end[ct])
    cases["outcome"] = np.where(left, WITHDRAWN, cases["outcome"])
    cases["outcome_day"] = np.where(left, sim.end[ct], cases["outcome_day"])

    out = {
        "claims": claims,
        "agreements": agreements,
        "cases": cases,
        "notices": dict(off.notices.data()),
        "pauses": dict(off.pauses.data()),
        "promises": dict(off.promises.data()),
        "actions": dict(off.actions.data()),
    }
    primary = {
        "claims": "status_day",
        "agreements": "start",
        "cases": "claim",
        "notices": "served",
        "pauses": "start",
        "promises": "made",
        "actions": "day",
    }
    for name, table in out.items():
        keep = table[primary[name]] <= end_day
        out[name] = {c: v[keep] for c, v in table.items()}
        out[name]["t"] = out[name]["t"] + lo
    return out


def _concat(records: list[dict], name: str, order: str) -> dict[str, np.ndarray]:
    """One table from every chunk, sorted by tenancy then date (stable)."""
    cols = records[0][name].keys()
    table = {c: np.concatenate([r[name][c] for r in records]) for c in cols}
    idx = np.lexsort((table[order], table["t"]))
    return {c: v[idx] for c, v in table.items()}


def _refs(prefix: str, n: int) -> np.ndarray:
    """prefix0000001, prefix0000002, ..."""
    return numbered(prefix, np.arange(1, n + 1), 7)


def _vocab(words: tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """Codes as their words; -1 (not given) as empty."""
    arr = np.array(list(words) + [""])[np.where(codes < 0, len(words), codes)]
    return pl.Series(arr).replace("", None)


def _money(pence: np.ndarray) -> pl.Series:
    """Pence as pounds (Decimal, two places); negative values (not given) as empty."""
    s = pl.Series(np.asarray(pence, dtype=np.int64))
    return pl.select(pl.when(s >= 0).then(s).cast(pl.Decimal(20, 2)) / 100).to_series()


def write_records(records: list[dict], refs: np.ndarray, out: Path) -> dict[str, int]:
    """Write benefits, agreements, notices, court_cases, pauses, promises and actions."""
    rows = {}
    c = _concat(records, "claims", "status_day")
    bref = np.where(c["benefit"] == 0, "HB", "UC")
    rows["benefits.csv"] = write(
        pl.DataFrame(
            {
                "claim_ref": np.char.add(bref, _refs("", len(bref))),
                "tenancy_ref": refs[c["t"]],
                "benefit": _vocab(BENEFITS, c["benefit"]),
                "status": _vocab(CLAIM_STATUSES, c["status"]),
                "status_date": day_or_null(c["status_day"]),
                "direct_to_landlord": c["dtl"] == 1,
                "expected_amount": _money(c["expected"]),
                "frequency": _vocab(FREQUENCIES, c["freq"]),
            }
        ),
        out / "benefits.csv",
    )
    a = _concat(records, "agreements", "start")
    rows["agreements.csv"] = write(
        pl.DataFrame(
            {
                "agreement_ref": _refs("AG", len(a["t"])),
                "tenancy_ref": refs[a["t"]],
                "kind": np.full(len(a["t"]), "informal"),
                "start_date": day_or_null(a["start"]),
                "starting_balance": _money(a["bal"]),
                "instalment": _money(a["inst"]),
                "frequency": _vocab(FREQUENCIES, a["freq"]),
                "status": _vocab(AGREEMENT_STATUSES, a["status"]),
            }
        ),
        out / "agreements.csv",
    )
    nt = _concat(records, "notices", "served")
    rows["notices.csv"] = write(
        pl.DataFrame(
            {
                "notice_ref": _refs("NT", len(nt["t"])),
                "tenancy_ref": refs[nt["t"]],
                "kind": _vocab(NOTICE_KINDS, nt["kind"]),
                "served_date": day_or_null(nt["served"]),
                "earliest_proceedings_date": day_or_null(nt["epd"]),
                "expiry_date": day_or_null(nt["expiry"]),
            }
        ),
        out / "notices.csv",
    )
    k = _concat(records, "cases", "claim")
    rows["court_cases.csv"] = write(
        pl.DataFrame(
            {
                "case_ref": _refs("PC", len(k["t"])),
                "tenancy_ref": refs[k["t"]],
                "claim_date": day_or_null(k["claim"]),
                "hearing_date": day_or_null(k["hearing"]),
                "outcome": _vocab(OUTCOMES, k["outcome"]),
                "outcome_date": day_or_null(k["outcome_day"]),
                "possession_date": day_or_null(k["possession"]),
                "terms_instalment": _money(k["terms"]),
                "terms_frequency": _vocab(FREQUENCIES, k["terms_freq"]),
                "warrant_date": day_or_null(k["warrant"]),
                "eviction_date": day_or_null(k["eviction"]),
            }
        ),
        out / "court_cases.csv",
    )
    p = _concat(records, "pauses", "start")
    rows["pauses.csv"] = write(
        pl.DataFrame(
            {
                "tenancy_ref": refs[p["t"]],
                "reason": _vocab(PAUSE_REASONS, p["reason"]),
                "start_date": day_or_null(p["start"]),
                "end_date": day_or_null(p["end"]),
                "note": _vocab(NOTES, np.where(p["note"] > 0, p["note"], -1)),
            }
        ),
        out / "pauses.csv",
    )
    pr = _concat(records, "promises", "made")
    rows["promises.csv"] = write(
        pl.DataFrame(
            {
                "promise_ref": _refs("PR", len(pr["t"])),
                "tenancy_ref": refs[pr["t"]],
                "made_date": day_or_null(pr["made"]),
                "due_date": day_or_null(pr["due"]),
                "amount": _money(pr["amount"]),
                "note": pl.Series([None] * len(pr["t"]), dtype=pl.String),
            }
        ),
        out / "promises.csv",
    )
    ac = _concat(records, "actions", "day")
    rows["actions.csv"] = write(
        pl.DataFrame(
            {
                "tenancy_ref": refs[ac["t"]],
                "date": day_or_null(ac["day"]),
                "code": _vocab(ACTION_CODES, ac["code"]),
                "channel": _vocab(ACTION_CHANNELS, ac["channel"]),
                "note": _vocab(NOTES, np.where(ac["note"] > 0, ac["note"], -1)),
            }
        ),
        out / "actions.csv",
    )
    return rows
