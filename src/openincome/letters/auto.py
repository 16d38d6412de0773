"""Automatic sends: after the nightly run, the routine communications the policy in force
names (its `auto_send`: engine action -> patches, "*" for all) go out without an officer, as
the system's own user, each through `send_communication` (so each is stored, logged as a
contact, recorded, audited and the case classified again). Once per tenancy, communication
and as-of date: a run made again sends nothing twice. A Breathing Space holds its case."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from openincome.audit.log import record
from openincome.cases.models import WorklistRun
from openincome.cases.queries import WorklistFilter, worklist
from openincome.ledger.models import Tenancy
from openincome.policy.store import params_in_force

from .actions import NothingToSend, send_communication, system_user
from .queries import recorded_code, template_for_action

EVERY_PATCH = "*"


@dataclass
class AutoResult:
    """What an automatic run sent per template and channel, and what it left, with why."""

    sent: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def planned(run: WorklistRun) -> dict[str, list[int]]:
    """Engine action -> the tenancies whose stored row recommends it in a patch the policy
    in force on the run's date automates (empty when it automates nothing)."""
    rules = params_in_force(run.as_of).auto_send
    out: dict[str, list[int]] = {}
    for action, patches in sorted(rules.items()):
        flt = WorklistFilter(as_of=run.as_of, tab="every", action=action,
                             patches=[] if EVERY_PATCH in patches else list(patches))
        out[action] = list(worklist(run, flt).order_by("-priority", "tenancy__tenancy_ref")
                           .values_list("tenancy_id", flat=True))
    return out


def send_automatically(run: WorklistRun, progress: Callable[[str], None] = lambda _: None,
                       *, notifier=None) -> AutoResult:
    """Send what the policy automates for this run's date, as the system user; audited once
    with the counts (each send is audited too)."""
    result = AutoResult()
    plan = planned(run)
    if not plan:
        return result
    user = system_user()
    for action, tenancy_ids in plan.items():
        code = template_for_action(action)
        if code is None:
            result.skipped.append(("-", f"no letter or message carries out '{action}'"))
            continue
        if not recorded_code(code):
            # Nothing would move the case on, so the engine would ask again the next night.
            result.skipped.append(("-", f"'{action}' records no ladder step, so it would be "
                                        "sent every night: officers send it"))
            continue
        if tenancy_ids:
            progress(f"sending automatically: {action} to {len(tenancy_ids):,} "
                     f"{'tenancy' if len(tenancy_ids) == 1 else 'tenancies'}")
        tenancies = Tenancy.objects.filter(pk__in=tenancy_ids).select_related("property")
        by_id = {t.pk: t for t in tenancies}
        for tenancy_id in tenancy_ids:
            tenancy = by_id[tenancy_id]
            try:
                items = send_communication(tenancy, user, code=code, as_of=run.as_of,
                                           notifier=notifier, once=True)
            except NothingToSend as refused:
                result.skipped.append((tenancy.tenancy_ref, str(refused)))
            else:
                result.sent.update((i.version.template.name, i.channel) for i in items)
    record("automatic_sends", actor=user, object_type="worklist", object_ref=str(run.as_of),
           why="policy auto_send",
           # Each template's name says its channel: "Reminder (text message)", "Letter 1".
           details={"sent": {name: n for (name, _), n in sorted(result.sent.items())},
                    "skipped": len(result.skipped),
                    "why_not": dict(Counter(why for _, why in result.skipped)),
                    "actions": {a: len(ids) for a, ids in plan.items()}})
    progress("sent automatically: " + (", ".join(
        f"{name}: {n}" for (name, _), n in sorted(result.sent.items()))
        or "nothing") + (f"; {len(result.skipped)} left" if result.skipped else ""))
    for why, n in sorted(Counter(why for _, why in result.skipped).items()):
        progress(f"  not sent ({n}): {why}")
    return result


def after_nightly(run: WorklistRun, progress: Callable[[str], None]) -> None:
    """The nightly run's hook (registered by the app)."""
    send_automatically(run, progress)
