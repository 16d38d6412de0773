"""Ground truth: per tenancy and month, what kind of arrears it had and whether they cured.

One row per tenancy per month-end snapshot: the last Sunday of each calendar month (or of the
history) on which the tenancy is current. Arrears there are split into
- technical: what the account's regular payment cycle will clear by itself (benefit paid in
  arrears, a monthly payment date not yet reached, the UC first-payment wait);
- real: the rest.
`arrears_kind` is none (balance <= 0), technical (real arrears <= 1.00) or real.
`cured_within_13w`: on a later Sunday within 13 weeks, while the tenancy was current, it had
no real arrears (a balance of zero or less, or only technical arrears): the debt of the
snapshot was paid. Technical arrears therefore cure at once unless the payment they wait for
fails to come (a missed UC month, a returned Direct Debit). `self_cured`: cured with no
officer action (recorded action, agreement, notice, court step or pause) between the snapshot
and the cure.
Both are empty when there were no arrears, or when the history ends before 13 weeks have
passed without a cure.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .behaviour import PERSONAS
from .rentcal import Calendar
from .writer import money

CIRCUMSTANCES = ("stable", "shock", "uc_wait", "worsened", "migrated", "recovered")
FUNDING = ("none", "hb", "uc", "uc_apa")
CURE_WEEKS = 13
TECHNICAL_TOLERANCE = 100  # pence of real arrears still counted as technical (rounding)
NONE_YET = np.iinfo(np.int16).max // 2
TRUTH_COLUMNS = (
    "tenancy_ref",
    "month",
    "as_of",
    "persona",
    "circumstance",
    "funding",
    "on_plan",
    "balance",
    "technical_arrears",
    "real_arrears",
    "arrears_kind",
    "cured_within_13w",
    "self_cured",
)


def _next_true(flags: np.ndarray) -> np.ndarray:
    """For each column w, the first column >= w where flags is true (a large number if none)."""
    n, w = flags.shape
    out = np.empty((n, w + 1), dtype=np.int16)  # weeks fit: at most 30 years of history
    out[:, w] = NONE_YET
    for c in range(w - 1, -1, -1):
        out[:, c] = np.where(flags[:, c], c, out[:, c + 1])
    return out


def truth_frame(
    cal: Calendar,
    refs: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    persona: np.ndarray,
    snap_bal: np.ndarray,
    no_real: np.ndarray,
    touched: np.ndarray,
    snap_tech: np.ndarray,
    snap_circ: np.ndarray,
    snap_fund: np.ndarray,
    snap_plan: np.ndarray,
) -> pl.DataFrame:
    """The truth rows of one chunk of tenancies."""
    k0 = cal.burn_in
    n_w = no_real.shape[1]
    mondays = cal.mondays[k0:].astype(np.int64)
    current = (start[:, None] <= mondays[None, :]) & (mondays[None, :] <= end[:, None])
    next_clear = _next_true(no_real & current)
    next_touch = _next_true(touched)
    parts: dict[str, list[np.ndarray]] = {
        c: [] for c in ("t", "day", "s", "bal", "tech", "real", "kind", "has", "cured", "self")
    }
    for j, k in enumerate(cal.snapshot):
        kw = int(k) - k0
        sunday = int(cal.mondays[k]) + 6
        idx = np.flatnonzero((start <= sunday) & (end >= sunday))
        bal = snap_bal[idx, j]
        tech = np.minimum(snap_tech[idx, j], np.maximum(bal, 0))
        real = np.maximum(bal - tech, 0)
        kind = np.where(bal <= 0, 0, np.where(real <= TECHNICAL_TOLERANCE, 1, 2))
        cure = next_clear[idx, kw + 1].astype(np.int64)
        touch = next_touch[idx, kw + 1].astype(np.int64)
        cured = (cure - kw) <= CURE_WEEKS
        known = cured | (kw + CURE_WEEKS <= n_w - 1)
        for c, v in (
            ("t", idx),
            ("day", np.full(len(idx), sunday)),
            ("s", np.full(len(idx), j)),
            ("bal", bal),
            ("tech", tech),
            ("real", real),
            ("kind", kind),
            ("has", (kind > 0) & known),
            ("cured", cured),
            ("self", cured & (touch > cure)),
        ):
            parts[c].append(v)
    col = {c: np.concatenate(v) if v else np.zeros(0, dtype=np.int64) for c, v in parts.items()}
    # Rows by tenancy then month: a stable sort on the tenancy keeps the months in order.
    order = np.argsort(col["t"], kind="stable")
    col = {c: v[order] for c, v in col.items()}
    t, s = col["t"], col["s"]

    def words(values: tuple[str, ...] | np.ndarray, codes: np.ndarray) -> pl.Series:
        # Categorical lookups: no string is built per row.
        return pl.Series(values).cast(pl.Categorical).gather(codes.astype(np.int64))

    has = pl.Series(col["has"])
    return pl.DataFrame(
        {
            "tenancy_ref": words(refs, t),
            "month": pl.Series(col["day"].astype(np.int32)).cast(pl.Date).dt.strftime("%Y-%m"),
            "as_of": pl.Series(col["day"].astype(np.int32)).cast(pl.Date),
            "persona": words(PERSONAS, persona[t]),
            "circumstance": words(CIRCUMSTANCES, snap_circ[t, s]),
            "funding": words(FUNDING, snap_fund[t, s]),
            "on_plan": snap_plan[t, s],
            "balance": pl.select(money(pl.lit(pl.Series(col["bal"])))).to_series(),
            "technical_arrears": pl.select(money(pl.lit(pl.Series(col["tech"])))).to_series(),
            "real_arrears": pl.select(money(pl.lit(pl.Series(col["real"])))).to_series(),
            "arrears_kind": words(("none", "technical", "real"), col["kind"]),
            "cured_within_13w": pl.select(pl.when(has).then(pl.Series(col["cured"]))).to_series(),
            "self_cured": pl.select(pl.when(has).then(pl.Series(col["self"]))).to_series(),
        }
    )
