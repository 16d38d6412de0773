"""POLICY.md §1 quantities that come from the transactions: balances, episodes, payments.

Transactions are the one big frame (≈50M rows for 100k tenancies × 5 years), so this module
keeps a single running balance over them, sorted by one Int64 key that packs (tenancy_id,
date), built in place with NumPy so that 50M rows cost two 8-byte columns and no more. A
balance at any date is then a binary search, and the episode start one pass per chunk. Filters
and sums over the rows themselves (payments, the current rent period) stay in Polars.

A tenancy may come with an opening (a balance checkpoint, see `schemas.OPENINGS`) instead of
its older rows: the opening enters the running balance as one row on its `as_at` day, and its
episode start and payment dates stand in for the rows it summarises. Any figure that would
need those rows (a balance before `as_at`, a rent period reaching back to it) is not guessed:
the tenancy is noted in `Ledger.needs_history` and `classify` raises `HistoryNeeded`.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

import numpy as np
import polars as pl

from openincome.ledger.vocab import CREDIT_TYPES, DEBIT_TYPES
from openincome.policy.params import PolicyParams

# (tenancy_id, date) packed into one sortable Int64: tenancy_id × 2^20 + days + 2^19, which
# covers dates 1970 ± 1400 years and tenancy ids below 2^43.
_BITS = 20
_OFFSET = 1 << 19
_DAY_MASK = (1 << _BITS) - 1
# Rows per slice of the NumPy passes: bounds their temporary arrays to a few tens of MB.
_CHUNK_ROWS = 1 << 22

# Bits of the per-row class, so one Int8 column answers every "is it a …" question.
CHARGE = 1
PAYMENT = 2
HB = 4
UNKNOWN = 8
CREDIT = 16

TRANSACTION_TYPES = (*DEBIT_TYPES, *CREDIT_TYPES)
EPOCH = datetime.date(1970, 1, 1)


def _type_classes(policy: PolicyParams) -> pl.Series:
    """Class bits of each known transaction type, indexed like TRANSACTION_TYPES."""
    bits = []
    for tx_type in TRANSACTION_TYPES:
        b = CREDIT if tx_type in CREDIT_TYPES else 0
        if tx_type in policy.charge_debit_types and tx_type in DEBIT_TYPES:
            b |= CHARGE
        if tx_type in policy.payment_types and tx_type in CREDIT_TYPES:
            b |= PAYMENT
        if tx_type == policy.hb_payment_type:
            b |= HB
        bits.append(b)
    return pl.Series("cls", bits, dtype=pl.Int8)


def _has(bits: int) -> pl.Expr:
    return (pl.col("cls") & bits) != 0


def _day_number(d: datetime.date) -> int:
    return (d - EPOCH).days


def _keys(tenancy_id: np.ndarray, day: np.ndarray) -> np.ndarray:
    key = tenancy_id.astype(np.int64)  # a copy: the in-place steps below must not touch input
    key <<= _BITS
    key += day
    key += _OFFSET
    return key


def _tenancy_starts(key: np.ndarray) -> np.ndarray:
    """Index of each tenancy's first row in sorted keys, a slice at a time."""
    found = [np.zeros(min(1, key.size), dtype=np.int64)]
    for lo in range(0, key.size - 1, _CHUNK_ROWS):
        tenancy = key[lo : lo + _CHUNK_ROWS + 1] >> _BITS
        found.append(np.flatnonzero(tenancy[1:] != tenancy[:-1]) + lo + 1)
    return np.concatenate(found)


@dataclass
class Ledger:
    """The classified transactions and the running balance of those dated ≤ D."""

    as_of: datetime.date
    # tenancy_id, date, amount, cls: every row given (read through `known()`).
    rows: pl.DataFrame
    # Sorted packed (tenancy_id, date) of each row dated ≤ D, and the tenancy's balance
    # after it: a day's last row holds the balance at the end of that day.
    key: np.ndarray
    bal: np.ndarray
    # Index of each tenancy's first row in key/bal.
    starts: np.ndarray
    # Openings in use (tenancy_id, as_at, episode_start, last_payment_date, last_hb_date,
    # unknown_types), and tenancies asked for a figure from before their opening.
    openings: pl.DataFrame = dataclasses.field(default_factory=pl.DataFrame)
    needs_history: set[int] = dataclasses.field(default_factory=set)

    def known(self) -> pl.LazyFrame:
        """Rows dated on or before D (POLICY.md §3: only what was known at D)."""
        return self.rows.lazy().filter(pl.col("date") <= self.as_of)


class HistoryNeeded(Exception):
    """Some tenancies' openings are too recent for a figure: read their full history."""

    def __init__(self, tenancy_ids: list[int]):
        super().__init__(f"{len(tenancy_ids)} tenancies need transactions from before their "
                         "opening")
        self.tenancy_ids = tenancy_ids


def _check_openings(
    transactions: pl.DataFrame, openings: pl.DataFrame, as_of: datetime.date
) -> None:
    """Refuse openings after D and rows an opening already summarises (they would count twice)."""
    if openings.height == 0:
        return
    if openings["tenancy_id"].n_unique() != openings.height:
        raise ValueError("openings: more than one opening for a tenancy")
    if openings["as_at"].max() > as_of:
        raise ValueError("openings: an opening dated after D summarises rows unknown at D")
    overlap = transactions.join(
        openings.select("tenancy_id", "as_at"), on="tenancy_id"
    ).filter(pl.col("date") <= pl.col("as_at"))
    if overlap.height:
        raise ValueError(
            "transactions: rows dated on or before their tenancy's opening "
            f"(tenancy {overlap['tenancy_id'][0]}): they are summarised by it already"
        )


def build_ledger(
    transactions: pl.DataFrame,
    policy: PolicyParams,
    as_of: datetime.date,
    openings: pl.DataFrame | None = None,
) -> Ledger:
    """Classify the transactions and compute the running balance of those dated ≤ D."""
    openings = openings if openings is not None and openings.height else None
    if openings is not None:
        _check_openings(transactions, openings, as_of)
    tx_type = pl.col("type")
    if isinstance(transactions.schema["type"], pl.Enum):
        tx_type = tx_type.cast(pl.String)
    classify_type = (
        pl.lit(_type_classes(policy))
        .gather(tx_type.cast(pl.Enum(TRANSACTION_TYPES), strict=False).to_physical())
        .fill_null(UNKNOWN)
    )
    # Sign by class: unknown types count 0 (and are flagged), credits lower the balance.
    sign = np.ones(32, dtype=np.int64)
    sign[[b for b in range(32) if b & CREDIT]] = -1
    sign[[b for b in range(32) if b & UNKNOWN]] = 0
    last_day = _day_number(as_of)
    n = transactions.height
    cls = np.empty(n, dtype=np.int8)
    key = np.empty(n, dtype=np.int64)
    signed = np.empty(n, dtype=np.int64)
    read = written = 0
    # A slice at a time, straight into the result arrays: no full-size temporaries.
    for part in transactions.iter_slices(_CHUNK_ROWS):
        size = part.height
        part_cls = part.select(classify_type).to_series().to_numpy()
        cls[read : read + size] = part_cls
        known = part["date"].to_physical().to_numpy() <= last_day
        count = int(known.sum())
        # Rows dated after D are left out: only what was known at D (§3).
        stop = written + count
        key[written:stop] = _keys(
            part["tenancy_id"].to_numpy()[known],
            part["date"].to_physical().to_numpy()[known],
        )
        amount = part["amount"].fill_null(0).to_numpy()[known]
        signed[written:stop] = amount * sign[part_cls[known]]
        read += size
        written = stop
    key, signed = key[:written], signed[:written]
    if openings is not None:
        # Each opening is one row on its as_at day carrying the balance it summarises.
        key = np.concatenate([key, _keys(
            openings["tenancy_id"].to_numpy(), openings["as_at"].to_physical().to_numpy()
        )])
        signed = np.concatenate([signed, openings["balance"].fill_null(0).to_numpy()])
    # Reading in (tenancy, date) order saves the sort; checking is much cheaper than sorting.
    # The order of rows within one day does not matter: only end-of-day balances are used.
    if key.size and not bool(np.all(key[1:] >= key[:-1])):
        order = np.argsort(key)
        key = key[order]
        signed = signed[order]
        del order
    starts = _tenancy_starts(key)
    if key.size:
        # One cumulative sum over all rows gives each tenancy's running balance once every
        # tenancy's first row is reduced by the balance the tenancy before it ended on.
        totals = np.add.reduceat(signed, starts)
        signed[starts[1:]] -= totals[:-1]
        np.cumsum(signed, out=signed)
    rows = transactions.select(
        "tenancy_id", "date", pl.col("amount").fill_null(0), cls=pl.Series(cls, dtype=pl.Int8)
    )
    kept = (
        openings.select("tenancy_id", "as_at", "episode_start", "last_payment_date",
                        "last_hb_date", "unknown_types")
        if openings is not None else pl.DataFrame(schema={"tenancy_id": pl.Int64,
                                                          "as_at": pl.Date})
    )
    return Ledger(as_of=as_of, rows=rows, key=key, bal=signed, starts=starts, openings=kept)


def _note_early(ledger: Ledger, asked: pl.DataFrame, column: str) -> None:
    """Note tenancies asked for a figure from before their opening (`column` < as_at)."""
    if ledger.openings.height == 0 or asked.height == 0:
        return
    early = asked.join(ledger.openings.select("tenancy_id", "as_at"), on="tenancy_id").filter(
        pl.col(column) <= pl.col("as_at") if column == "start" else pl.col(column) < pl.col("as_at")
    )
    ledger.needs_history.update(early["tenancy_id"].to_list())


def balance_at(ledger: Ledger, at: pl.DataFrame) -> pl.DataFrame:
    """Balance at the end of `at_date` per tenancy: frame (tenancy_id, at_date) → balance."""
    at = at.select("tenancy_id", "at_date").filter(pl.col("at_date").is_not_null())
    # The end of the as_at day itself is the opening's balance; earlier days are unknown.
    _note_early(ledger, at, "at_date")
    tenancy = at["tenancy_id"].to_numpy()
    target = _keys(tenancy, at["at_date"].to_physical().to_numpy())
    # The last row with key ≤ target is the end of that day, if it is the same tenancy's.
    if ledger.key.size:
        pos = np.searchsorted(ledger.key, target, side="right") - 1
        safe = np.clip(pos, 0, None)
        found = (pos >= 0) & ((ledger.key[safe] >> _BITS) == tenancy)
        balance = np.where(found, ledger.bal[safe], 0)
    else:
        balance = np.zeros(target.size, dtype=np.int64)
    return at.with_columns(balance=pl.Series(balance, dtype=pl.Int64))


def period_sums(ledger: Ledger, windows: pl.DataFrame) -> pl.DataFrame:
    """Charge debits and payments dated in [start, end] (and ≤ D) per tenancy."""
    if windows.height == 0:
        return pl.DataFrame(
            schema={"tenancy_id": pl.Int64, "charges": pl.Int64, "payments": pl.Int64}
        )
    # A window from the as_at day on would miss rows the opening summarises.
    _note_early(ledger, windows, "start")
    lo = windows["start"].min()
    hi = windows["end"].max()
    return (
        ledger.known()
        .filter(pl.col("date").is_between(lo, hi) & _has(CHARGE | PAYMENT))
        .join(windows.lazy().select("tenancy_id", "start", "end"), on="tenancy_id")
        .filter(pl.col("date").is_between(pl.col("start"), pl.col("end")))
        .group_by("tenancy_id")
        .agg(
            charges=pl.col("amount").filter(_has(CHARGE)).sum(),
            payments=pl.col("amount").filter(_has(PAYMENT)).sum(),
        )
        .collect(engine="streaming")
    )


def _last_rows(ledger: Ledger, cutoff: datetime.date) -> np.ndarray:
    """Per tenancy, the index of its last row dated ≤ cutoff (below its first row if none)."""
    tenancy = ledger.key[ledger.starts] >> _BITS
    target = _keys(tenancy, np.full(tenancy.size, _day_number(cutoff), dtype=np.int64))
    return np.searchsorted(ledger.key, target, side="right") - 1


def _episode_starts(ledger: Ledger, cutoff: datetime.date, last: np.ndarray) -> np.ndarray:
    """Per tenancy, the index of the row that began the run of positive balances at cutoff.

    That is the row after the tenancy's last end-of-day row dated ≤ cutoff with balance ≤ 0,
    or its first row when there is none (before its first transaction the balance is 0).
    Meaningful only where the balance at cutoff is > 0; `last` is each tenancy's last row
    dated ≤ cutoff.
    """
    key, bal, starts = ledger.key, ledger.bal, ledger.starts
    n = key.size
    last_key = _keys(np.zeros(1, dtype=np.int64), np.array([_day_number(cutoff)]))[0]
    last_clear = np.full(starts.size, -1, dtype=np.int64)
    lo = 0
    while lo < n:
        hi = min(n, lo + _CHUNK_ROWS)
        # End of day: the next row is another day (or the slice's last row, checked below).
        nxt = key[lo + 1 : hi + 1]
        end_of_day = np.ones(hi - lo, dtype=bool)
        end_of_day[: nxt.size] = key[lo : lo + nxt.size] != nxt
        # Days after the cutoff do not count (the key's low bits are the day).
        on_time = (key[lo:hi] & _DAY_MASK) <= last_key
        clear = np.flatnonzero(end_of_day & on_time & (bal[lo:hi] <= 0)) + lo
        if clear.size:
            owner = np.searchsorted(starts, clear, side="right") - 1
            # Indices ascend, so each owner's last entry is its latest; later slices win.
            latest = np.append(owner[1:] != owner[:-1], True)
            last_clear[owner[latest]] = clear[latest]
        lo = hi
    first = np.where(last_clear >= 0, last_clear + 1, starts)
    return np.minimum(first, np.maximum(last, starts))


def _summary(ledger: Ledger, cutoff: datetime.date) -> pl.DataFrame:
    """Per tenancy with rows dated ≤ cutoff: the ledger_summary figures at the cutoff."""
    key, starts = ledger.key, ledger.starts
    if key.size:
        last = _last_rows(ledger, cutoff)
        first = _episode_starts(ledger, cutoff, last)
        has = last >= starts
        safe = np.maximum(last, starts)
        balance = np.where(has, ledger.bal[safe], 0)
        episode_key = key[first]
        # An opening's own row beginning the run: the run began before it, on its date.
        from_opening = first == starts
    else:
        has = from_opening = np.empty(0, dtype=bool)
        episode_key = balance = np.empty(0, dtype=np.int64)
    summary = pl.DataFrame(
        {
            "tenancy_id": key[starts] >> _BITS,
            "balance": balance,
            "episode_day": (episode_key & _DAY_MASK) - _OFFSET,
            "from_opening": from_opening,
            "has": has,
        },
        schema={"tenancy_id": pl.Int64, "balance": pl.Int64, "episode_day": pl.Int64,
                "from_opening": pl.Boolean, "has": pl.Boolean},
    ).filter("has")
    opened = ledger.openings.height > 0
    if opened:
        summary = summary.join(
            ledger.openings.select(
                "tenancy_id", "as_at", opening_episode="episode_start",
                opening_payment="last_payment_date", opening_hb="last_hb_date",
                opening_unknown="unknown_types",
            ),
            on="tenancy_id",
            how="left",
        )
    episode = pl.col("episode_day").cast(pl.Int32).cast(pl.Date)
    if opened:
        episode = (
            pl.when(pl.col("from_opening") & pl.col("as_at").is_not_null())
            .then(pl.col("opening_episode"))
            .otherwise(episode)
        )
    summary = summary.with_columns(
        episode_start=pl.when(pl.col("balance") > 0).then(episode)
    )
    payments = (
        ledger.known()
        .filter((pl.col("date") <= cutoff) & _has(PAYMENT | HB | UNKNOWN))
        .group_by("tenancy_id")
        .agg(
            last_payment_date=pl.col("date").filter(_has(PAYMENT)).max(),
            last_hb_date=pl.col("date").filter(_has(HB)).max(),
            unknown_types=_has(UNKNOWN).sum().cast(pl.Int64),
        )
        # Streaming: the filtered rows never exist all at once.
        .collect(engine="streaming")
    )
    summary = summary.join(payments, on="tenancy_id", how="left")
    if opened:
        summary = summary.with_columns(
            last_payment_date=pl.max_horizontal("last_payment_date", "opening_payment"),
            last_hb_date=pl.max_horizontal("last_hb_date", "opening_hb"),
            unknown_types=pl.col("unknown_types").fill_null(0)
            + pl.col("opening_unknown").fill_null(0),
        )
    return summary.select(
        "tenancy_id", "balance", "episode_start", "last_payment_date", "last_hb_date",
        pl.col("unknown_types").fill_null(0),
    )


def ledger_summary(ledger: Ledger) -> pl.DataFrame:
    """Per tenancy: balance at D, episode start, last payment and HB dates, unknown types."""
    return _summary(ledger, ledger.as_of)


def opening_at(ledger: Ledger, as_at: datetime.date) -> pl.DataFrame:
    """Openings (balance checkpoints) at `as_at` ≤ D for every tenancy with rows by then."""
    if as_at > ledger.as_of:
        raise ValueError("an opening cannot be taken after D: later rows are not in the ledger")
    if ledger.openings.height and ledger.openings["as_at"].max() > as_at:
        raise ValueError("an opening cannot be taken before the openings the ledger began from")
    return _summary(ledger, as_at).select(
        "tenancy_id", pl.lit(as_at, dtype=pl.Date).alias("as_at"), "balance", "episode_start",
        "last_payment_date", "last_hb_date", "unknown_types",
    )
