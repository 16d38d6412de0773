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
        "requests": dict(off.requests.data()),
        "dhp_apps": dict(off.dhp_apps.data()),
    }
    primary = {
        "claims": "status_day",
        "agreements": "start",
        "cases": "claim",
        "notices": "served",
        "pauses": "start",
        "promises": "made",
        "actions": "day",
        "requests": "requested",
        "dhp_apps": "applied",
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


def write_records(records: list[dict], refs: np.ndarray, out: Path,
                  end_day: int) -> dict[str, int]:
    """Write benefits (and the benefits work), agreements, notices, court_cases, pauses,
    promises and actions."""
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
    rows.update(_write_benefits_work(records, refs, c, out, end_day))
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


def _known(days: np.ndarray, end_day: int) -> np.ndarray:
    """Days after the history's end are not known yet: not given."""
    return np.where((days == NULL) | (days > end_day), NULL, days)


def _write_benefits_work(records: list[dict], refs: np.ndarray, claims: dict, out: Path,
                         end_day: int) -> dict[str, int]:
    """UC verification requests, APA and deduction requests, and DHP applications."""
    rows = {}
    n = len(claims["t"])
    claim_refs = np.char.add(np.where(claims["benefit"] == 0, "HB", "UC"), _refs("", n))
    uc = claims["benefit"] == 1
    # A tenancy's UC claim (its latest, when it has had more than one).
    uc_ref = dict(zip(claims["t"][uc].tolist(), claim_refs[uc].tolist(), strict=True))

    # DWP asks us to verify the housing costs of every UC claim: three weeks before it is
    # paid (or a few days after a new claim); the answer goes back within ten days; some
    # recent ones wait, and a few were never answered. Only the last year's requests are kept.
    day = claims["status_day"][uc]
    paying = claims["status"][uc] == CLAIM_STATUSES.index("in_payment")
    received = np.where(paying, day - 21, day + 3)
    order = np.arange(int(uc.sum()))
    waiting = ((received > end_day - 20) & (order % 3 == 0)) | (order % 29 == 0)
    answered = np.where(waiting, NULL, received + 2 + order % 9)
    keep = (received <= end_day) & (received > end_day - 365)  # the last year's
    rows["verifications.csv"] = write(
        pl.DataFrame({
            "claim_ref": claim_refs[uc][keep],
            "received_date": day_or_null(received[keep]),
            "due_date": day_or_null(received[keep] + 14),
            "answered_date": day_or_null(_known(answered[keep], end_day)),
            "answer": pl.Series([None] * int(keep.sum()), dtype=pl.String),
            "note": pl.Series([None] * int(keep.sum()), dtype=pl.String),
        }),
        out / "verifications.csv",
    )

    r = _concat(records, "requests", "requested")
    has = np.array([t in uc_ref for t in r["t"].tolist()], dtype=bool)
    r = {k: v[has] for k, v in r.items()}
    # One request of a kind a claim a day (the interchange's key).
    first = pl.DataFrame({"t": r["t"], "kind": r["kind"], "day": r["requested"]}) \
        .with_row_index().unique(["t", "kind", "day"], keep="first")["index"].sort().to_numpy()
    r = {k: v[first] for k, v in r.items()}
    m = len(r["t"])
    rows["payment_requests.csv"] = write(
        pl.DataFrame({
            "claim_ref": [uc_ref[t] for t in r["t"].tolist()],
            "kind": np.array(["apa", "tpd"])[r["kind"]],
            "requested_date": day_or_null(r["requested"]),
            "accepted_date": day_or_null(_known(r["accepted"], end_day)),
            "refused_date": day_or_null(_known(r["refused"], end_day)),
            "ended_date": day_or_null(np.full(m, NULL)),
            "amount": _money(np.where(r["amount"] == NULL, -1, r["amount"])),
            "note": pl.Series([None] * m, dtype=pl.String),
        }, schema_overrides={"claim_ref": pl.String}),
        out / "payment_requests.csv",
    )

    d = _concat(records, "dhp_apps", "applied")
    first = pl.DataFrame({"t": d["t"], "day": d["applied"]}).with_row_index() \
        .unique(["t", "day"], keep="first")["index"].sort().to_numpy()
    d = {k: v[first] for k, v in d.items()}
    decided = _known(d["decided"], end_day)
    award = (d["decision"] == 0) & (decided != NULL)
    k = len(d["t"])
    rows["dhp_applications.csv"] = write(
        pl.DataFrame({
            "tenancy_ref": refs[d["t"]],
            "applied_date": day_or_null(d["applied"]),
            "amount_asked": _money(np.where(d["award"] == NULL, -1, d["award"])),
            "reason": np.full(k, "Arrears after money advice"),
            "evidence": pl.Series([None] * k, dtype=pl.String),
            "decision": _vocab(("award", "refusal"), np.where(decided == NULL, -1,
                                                               d["decision"])),
            "decision_date": day_or_null(decided),
            "award_amount": _money(np.where(award, d["award"], -1)),
            "period_start": day_or_null(np.where(award, decided, NULL)),
            "period_end": day_or_null(np.where(award, decided + 27, NULL)),
            "review_requested_date": day_or_null(np.full(k, NULL)),
        }),
        out / "dhp_applications.csv",
    )
    return rows
