"""The one freshness hook: a change names the tenancies it touched, and once its transaction
commits their stored worklist rows are classified again.

Every action (web form, command line, import, post-rent, the capability apps) calls `touched`
inside its transaction and nothing else: none refreshes rows on its own. The refresher lives
above the ledger (the cases app registers it when Django starts), so the ledger stays at the
bottom of the layers.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable

from django.db import transaction

log = logging.getLogger(__name__)

Refresher = Callable[[list[int], "datetime.date | None"], None]
_refreshers: list[Refresher] = []


def register(refresher: Refresher) -> None:
    """Install the function that refreshes stored rows (once, when the cases app is ready)."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def touched(tenancy_ids: Iterable[int], as_of: datetime.date | None = None) -> None:
    """Refresh these tenancies' stored worklist rows after the current transaction commits
    (in the run as of `as_of` when one is given, and in the latest run)."""
    ids = sorted({int(pk) for pk in tenancy_ids})
    if ids:
        # robust: the change is committed whatever happens next; a row left stale is caught by
        # its input version (cases.queries.stored_row) and classified live instead.
        transaction.on_commit(lambda: refresh_now(ids, as_of), robust=True)


def refresh_now(tenancy_ids: list[int], as_of: datetime.date | None = None) -> None:
    """Run the installed refreshers for these tenancies (what `touched` defers to commit)."""
    for refresher in _refreshers:
        refresher(tenancy_ids, as_of)
