"""Where balance checkpoints (openings) can stand in for older transactions, and where not.

A nightly run may start each tenancy from its opening at a checkpoint date C. The figures of
POLICY.md §1 at D look back at most one rent period (a calendar month at most) and the
reducing window, so an opening at least `checkpoint_lag` days before D answers them. Two
figures can reach further back: the moratorium debt (the balance the day before a breathing
space began) and a court order's starting arrears (at its order date). `history_needed`
names the tenancies whose records put those dates near or before C, so the adapter reads
them in full; the engine still raises HistoryNeeded for any tenancy it missed.
"""

from __future__ import annotations

import datetime

import polars as pl

from openincome.engine import features as feat
from openincome.engine.classify import MONITORED_ORDERS
from openincome.engine.schemas import EngineInputs
from openincome.policy.params import PolicyParams

LONGEST_MONTH = 31


def checkpoint_lag(policy: PolicyParams) -> int:
    """Fewest days between an opening and D for the §1 figures at D to need no older rows."""
    longest_period = max([LONGEST_MONTH, *policy.rent_period_days.values()])
    # The current rent period must start after C; the reducing window may start on C.
    return max(longest_period, policy.reducing_window_days) + 1


def history_needed(
    inputs: EngineInputs, policy: PolicyParams, as_of: datetime.date, as_at: datetime.date
) -> list[int]:
    """Tenancies whose breathing space, court order or promise at D needs balances from ≤ as_at.

    The same features the engine reads: the active breathing space (moratorium debt is the
    balance the day before it began) and the latest case's monitored order (its starting
    arrears are at the order date, with that date's rent period, up to a month back).
    """
    data = inputs.validated()
    spaces = feat.pause_features(data.pauses, policy, as_of).filter(
        pl.col("bs_start").is_not_null() & (pl.col("bs_start") <= as_at)
    )
    reach = datetime.timedelta(days=max([LONGEST_MONTH, *policy.rent_period_days.values()]))
    orders = feat.court_features(data.court_cases, as_of).filter(
        pl.col("court_outcome").is_in(MONITORED_ORDERS)
        & (pl.col("order_date") <= as_at + reach)
    )
    # A promise that may still hold the ladder sums the payments since it was made (§3.10).
    promises = data.promises
    if policy.promise_grace_days is not None and promises.height:
        grace = datetime.timedelta(days=policy.promise_grace_days)
        promises = promises.filter(
            (pl.col("made_date") <= as_at) & (pl.col("due_date") + grace >= as_of)
        )
    else:
        promises = promises.clear()
    ids = pl.concat([spaces.select("tenancy_id"), orders.select("tenancy_id"),
                     promises.select("tenancy_id")])
    return ids.unique()["tenancy_id"].sort().to_list()
