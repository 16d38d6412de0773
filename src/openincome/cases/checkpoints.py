"""Balance checkpoints: take them in a nightly run, and read from one in the next.

A run with a usable checkpoint at C reads each tenancy's opening plus its transactions dated
after C (≈ six weeks of rows instead of years). Tenancies whose figures may reach before C
(`engine.openings.history_needed`), whose opening the engine refuses (HistoryNeeded), or
who have rows added since the checkpoint but dated on or before C (backdated corrections)
are read in full. A run moves the checkpoint forward once it is a week older than it need be.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import polars as pl
from django.db import connection, transaction

from openincome.engine import EngineInputs, HistoryNeeded, classify_with_openings
from openincome.engine.openings import checkpoint_lag, history_needed
from openincome.engine.schemas import OPENINGS
from openincome.ledger.models import Transaction
from openincome.ledger.vocab import TRANSACTION_TYPES
from openincome.policy.params import PolicyParams

from .frames import (
    frame_tasks,
    in_parallel,
    load_frames,
    read_frame,
    read_query,
    read_transactions,
    transactions_frame,
)
from .models import Checkpoint, Opening, OpeningHistory

# A checkpoint is moved forward when it is this much older than the lag requires: weekly.
ROLL_AFTER = datetime.timedelta(days=7)
_OPENING_FIELDS = ["balance", "episode_start", "last_payment_date", "last_hb_date",
                   "unknown_types"]


def policy_key(policy: PolicyParams) -> str:
    """The part of a policy that openings depend on: which types are charges, payments, HB."""
    types = {"charges": sorted(policy.charge_debit_types),
             "payments": sorted(policy.payment_types), "hb": policy.hb_payment_type}
    return hashlib.sha256(json.dumps(types, sort_keys=True).encode()).hexdigest()


def high_water() -> int:
    """The largest transaction id, once every insert under way has committed or rolled back.

    On PostgreSQL a SHARE lock waits for writers in flight (and holds new ones for the moment
    it takes), so no id at or below the mark can commit later unseen.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE ledger_transaction IN SHARE MODE")
        last = Transaction.objects.order_by("-id").values_list("id", flat=True).first()
    return last or 0


def usable(as_of: datetime.date, policy: PolicyParams) -> Checkpoint | None:
    """The latest checkpoint a run as of this date can start from, if any."""
    latest_as_at = as_of - datetime.timedelta(days=checkpoint_lag(policy))
    return Checkpoint.objects.filter(
        as_at__lte=latest_as_at, policy_key=policy_key(policy)
    ).first()


def late_tenancies(checkpoint: Checkpoint) -> list[int]:
    """Tenancies with transactions added since the checkpoint but dated on or before it."""
    return sorted(set(
        Transaction.objects.filter(id__gt=checkpoint.high_water, date__lte=checkpoint.as_at)
        .order_by().values_list("tenancy_id", flat=True).distinct()
    ))


def read_openings(checkpoint: Checkpoint) -> pl.DataFrame:
    """The checkpoint's openings."""
    sql = ("SELECT tenancy_id, balance, episode_start, last_payment_date, last_hb_date, "
           "unknown_types FROM cases_opening WHERE checkpoint_id = %s")
    rows = read_query(sql, [checkpoint.pk], {k: v for k, v in OPENINGS.items() if k != "as_at"})
    return rows.with_columns(as_at=pl.lit(checkpoint.as_at, dtype=pl.Date)).select(list(OPENINGS))


def read_histories(checkpoint: Checkpoint) -> pl.DataFrame:
    """The checkpoint's kept rows (dated ≤ its date), of the tenancies that have them."""
    ids, days, codes, amounts = [], [], [], []
    rows = OpeningHistory.objects.filter(checkpoint=checkpoint).values_list(
        "tenancy_id", "days", "codes", "amounts")
    for tenancy_id, day_bytes, code_bytes, amount_bytes in rows.iterator(chunk_size=2000):
        day = np.frombuffer(bytes(day_bytes), dtype="<i4")
        ids.append(np.full(day.size, tenancy_id, dtype=np.int64))
        days.append(day)
        codes.append(np.frombuffer(bytes(code_bytes), dtype="<i2"))
        amounts.append(np.frombuffer(bytes(amount_bytes), dtype="<i8"))
    if not ids:
        return transactions_frame([], [], [], [])
    return transactions_frame(*(np.concatenate(a) for a in (ids, days, codes, amounts)))


def _history_rows(transactions: pl.DataFrame, tenancy_ids: list[int], as_at: datetime.date):
    """(tenancy_id, days, codes, amounts) bytes per tenancy of its rows dated ≤ as_at."""
    kept = transactions.filter(
        pl.col("tenancy_id").is_in(pl.Series(tenancy_ids, dtype=pl.Int64).implode())
        & (pl.col("date") <= as_at)
    ).sort("tenancy_id", "date", maintain_order=True).select(
        "tenancy_id",
        day=pl.col("date").cast(pl.Int32),
        code=pl.col("type").cast(pl.String).replace_strict(
            {name: i for i, name in enumerate(TRANSACTION_TYPES)}, default=-1,
            return_dtype=pl.Int16),
        amount=pl.col("amount").fill_null(0),
    )
    for (tenancy_id,), part in kept.group_by("tenancy_id", maintain_order=True):
        yield (tenancy_id, part["day"].to_numpy().astype("<i4").tobytes(),
               part["code"].to_numpy().astype("<i2").tobytes(),
               part["amount"].to_numpy().astype("<i8").tobytes())


def store(as_at: datetime.date, mark: int, policy: PolicyParams,
          openings: pl.DataFrame, histories=()) -> Checkpoint:
    """Save a checkpoint with its openings and kept histories, and drop older checkpoints
    (call inside atomic)."""
    checkpoint = Checkpoint.objects.create(
        as_at=as_at, high_water=mark, policy_key=policy_key(policy), tenancies=openings.height
    )
    OpeningHistory.objects.bulk_create(
        (OpeningHistory(checkpoint=checkpoint, tenancy_id=tenancy_id, days=days, codes=codes,
                        amounts=amounts)
         for tenancy_id, days, codes, amounts in histories),
        batch_size=500,
    )
    if connection.vendor == "postgresql":
        columns = ", ".join(["checkpoint_id", "tenancy_id", *_OPENING_FIELDS])
        buf = io.BytesIO()
        openings.select(pl.lit(checkpoint.pk).alias("checkpoint_id"), "tenancy_id",
                        *_OPENING_FIELDS).write_csv(buf, include_header=False)
        with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY cases_opening ({columns}) FROM STDIN WITH (FORMAT csv)"
        ) as copy:
            copy.write(buf.getvalue())
    else:
        rows = openings.select("tenancy_id", *_OPENING_FIELDS).iter_rows()
        Opening.objects.bulk_create(
            (Opening(checkpoint=checkpoint, tenancy_id=row[0],
                     **dict(zip(_OPENING_FIELDS, row[1:], strict=True))) for row in rows),
            batch_size=5000,
        )
    Checkpoint.objects.exclude(pk=checkpoint.pk).delete()
    return checkpoint


@dataclass
class Classified:
    """A run's result rows and how they were read."""

    result: pl.DataFrame
    checkpoint: Checkpoint | None = None  # the one read from
    openings: pl.DataFrame | None = None  # new openings to store, when the checkpoint moves
    opening_as_at: datetime.date | None = None
    mark: int = 0
    read_in_full: list[int] = field(default_factory=list)
    histories: list = field(default_factory=list)  # kept rows to store with the openings


def classify_all(as_of: datetime.date, policy: PolicyParams, rent_week_day: int,
                 progress: Callable[[str], None] = lambda _: None) -> Classified:
    """Classify every tenancy as of a date, from the latest usable checkpoint when there is
    one, and take new openings when the checkpoint is due to move forward (`progress` hears
    what it is doing)."""
    plan = plan_read(as_of, policy)
    inputs = read(plan, policy, progress)
    while True:
        try:
            return classify(plan, inputs, policy, rent_week_day, progress)
        except HistoryNeeded as needed:
            # Not foreseen by history_needed: read those in full too (exact, only slower),
            # unless they were (cannot happen, and must not loop).
            if plan.checkpoint is None or inputs.in_full.issuperset(needed.tenancy_ids):
                raise
            inputs = _in_full(inputs, inputs.in_full | set(needed.tenancy_ids))


@dataclass(frozen=True)
class Plan:
    """What a run reads: every transaction, or the openings at a checkpoint and the rows
    after it; and whether it takes new openings (at `opening_as_at`)."""

    as_of: datetime.date
    mark: int  # the high water mark of the transactions the run reads
    checkpoint: Checkpoint | None  # the one read from (None: every transaction is read)
    new_as_at: datetime.date  # where new openings would be taken
    roll: bool  # whether they are (the newest checkpoint is a week older than need be)

    @property
    def opening_as_at(self) -> datetime.date | None:
        return self.new_as_at if self.roll else None


def plan_read(as_of: datetime.date, policy: PolicyParams) -> Plan:
    """Plan a run's read: from the latest usable checkpoint, if any; new openings or not."""
    mark = high_water()
    new_as_at = as_of - datetime.timedelta(days=checkpoint_lag(policy))
    newest = Checkpoint.objects.filter(policy_key=policy_key(policy)).first()
    roll = newest is None or new_as_at >= newest.as_at + ROLL_AFTER
    return Plan(as_of, mark, usable(as_of, policy), new_as_at, roll)


@dataclass
class Inputs:
    """A run's engine inputs, and the tenancies a new checkpoint keeps whole (their figures
    reach behind its date). From a checkpoint, also what was read at once, so that more
    tenancies can be read in full."""

    frames: dict[str, pl.DataFrame]
    keep: list[int]
    plan: Plan
    in_full: set[int] = field(default_factory=set)
    late: set[int] = field(default_factory=set)  # rows added since the checkpoint, dated before
    at_once: dict[str, pl.DataFrame] = field(default_factory=dict)


def read(plan: Plan, policy: PolicyParams, progress: Callable[[str], None]) -> Inputs:
    """Read what the plan says: every transaction, or from its checkpoint."""
    as_of = plan.as_of
    if plan.checkpoint is None:
        progress("reading every transaction (no balance checkpoint yet)")
        frames = load_frames(as_of, skip=("transactions",))
        frames["transactions"] = read_transactions(as_of)
        keep = (history_needed(EngineInputs(**frames), policy, as_of, plan.new_as_at)
                if plan.roll else [])
        return Inputs(frames, keep, plan)
    checkpoint = plan.checkpoint
    # Everything the run reads at once (the server works while this process decodes); only
    # the tenancies read in full need a second, small read once they are known.
    progress(f"reading from the balance checkpoint at {checkpoint.as_at}")
    small = frame_tasks(as_of, skip=("transactions", "charges"))
    # The longest reads first: the pool starts them in this order.
    got = in_parallel({
        "tail": partial(read_transactions, as_of, after=checkpoint.as_at),
        "actions": small.pop("actions"),
        "kept": partial(read_histories, checkpoint),
        # The charges in force since the checkpoint (older ones: those read in full).
        "charges": partial(read_frame, "charges", None,
                           "effective_to IS NULL OR effective_to >= %s", [checkpoint.as_at]),
        "openings": partial(read_openings, checkpoint),
        "late": partial(late_tenancies, checkpoint),
        **small,
    })
    frames = {name: got.pop(name) for name in [*small, "actions"]}
    keep = (history_needed(EngineInputs(**frames), policy, as_of, plan.new_as_at)
            if plan.roll else [])
    late = set(got.pop("late"))
    full = late | set(history_needed(EngineInputs(**frames), policy, as_of, checkpoint.as_at))
    inputs = Inputs(frames, keep, plan, late=late, at_once=got)
    return _in_full(inputs, full | set(keep))


def _in_full(inputs: Inputs, full: set[int]) -> Inputs:
    """Inputs from a checkpoint with these tenancies read in full: their openings left out,
    their whole histories (kept ones: rows up to the checkpoint, then the tail; else read)
    and their older charges in."""
    got, as_at = inputs.at_once, inputs.plan.checkpoint.as_at
    kept = got["kept"].filter(pl.col("tenancy_id").is_in(_ids(full - inputs.late)))
    unkept = sorted(full - set(kept["tenancy_id"].unique().to_list()))
    more = in_parallel({
        "older": partial(read_frame, "charges", sorted(full), "effective_to < %s", [as_at]),
        "whole": partial(read_transactions, inputs.plan.as_of, unkept),
    })
    frames = inputs.frames | {
        "charges": pl.concat([got["charges"], more["older"]]),
        "openings": got["openings"].filter(~pl.col("tenancy_id").is_in(_ids(full))),
        "transactions": pl.concat([
            got["tail"].filter(~pl.col("tenancy_id").is_in(_ids(unkept))),
            kept,
            more["whole"],
        ]),
    }
    return Inputs(frames, inputs.keep, inputs.plan, full, inputs.late, got)


def classify(plan: Plan, inputs: Inputs, policy: PolicyParams, rent_week_day: int,
             progress: Callable[[str], None]) -> Classified:
    """Classify the inputs read: the result rows, and new openings when the plan takes them."""
    frames = inputs.frames
    detail = (f"{len(inputs.in_full):,} of them read in full" if plan.checkpoint
              else f"{frames['transactions'].height:,} transactions")
    progress(f"classifying {frames['tenancies'].height:,} tenancies ({detail})")
    result, openings = classify_with_openings(
        EngineInputs(**frames), policy, plan.as_of, rent_week_day,
        opening_as_at=plan.opening_as_at)
    histories = list(_history_rows(frames["transactions"], inputs.keep, plan.new_as_at))
    return Classified(result, plan.checkpoint, openings, plan.opening_as_at, plan.mark,
                      sorted(inputs.in_full), histories)


def _ids(ids) -> pl.Expr:
    """Tenancy ids as one list literal, for is_in."""
    return pl.Series(sorted(ids), dtype=pl.Int64).implode()
