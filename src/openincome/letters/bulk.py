"""Sending one communication to many tenancies: every case whose stored worklist row
recommends an action (the command line; each tenancy is its own action and transaction)."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from openincome.cases.nightly import ensure_run
from openincome.cases.queries import WorklistFilter, worklist
from openincome.ledger.models import Tenancy

from .actions import NothingToSend, send_communication
from .queries import breathing_space_running, recipients, template_for_action


@dataclass
class BulkResult:
    """What a bulk send sent (or would send), per template and channel, and what it skipped."""

    code: str
    sent: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    tenancies: int = 0


def selected(as_of: datetime.date, engine_action: str, patches: list[str]) -> list[Tenancy]:
    """The tenancies whose stored row for `as_of` recommends this action (the run is made
    first when there is none)."""
    run = ensure_run(as_of, actor="cli")
    flt = WorklistFilter(as_of=as_of, tab="every", patches=patches)
    ids = list(worklist(run, flt).filter(action=engine_action).values_list("tenancy_id",
                                                                          flat=True))
    return list(Tenancy.objects.filter(pk__in=ids).select_related("property")
                .order_by("tenancy_ref"))


def send_for_action(
    as_of: datetime.date, engine_action: str, *, patches: list[str], dry_run: bool, user=None,
    progress: Callable[[int], None] = lambda n: None, notifier=None,
) -> BulkResult:
    """Send the action's communication to every tenancy the worklist recommends it for (or,
    with dry_run, count what would go and save nothing)."""
    code = template_for_action(engine_action)
    if code is None:
        raise ValueError(f"'{engine_action}' is not an action a letter or message carries out")
    result = BulkResult(code=code)
    for tenancy in selected(as_of, engine_action, patches):
        result.tenancies += 1
        if dry_run:
            if breathing_space_running(tenancy, as_of):
                result.skipped.append((tenancy.tenancy_ref, "a Breathing Space is running"))
            else:
                people = recipients(code, tenancy)
                result.sent.update((p.template.name, p.channel) for p in people)
                if not people:
                    result.skipped.append((tenancy.tenancy_ref, "no named tenant"))
        else:
            try:
                items = send_communication(tenancy, user, code=code, as_of=as_of,
                                           notifier=notifier)
            except NothingToSend as refused:
                result.skipped.append((tenancy.tenancy_ref, str(refused)))
            else:
                result.sent.update((i.version.template.name, i.channel) for i in items)
        progress(1)
    return result
