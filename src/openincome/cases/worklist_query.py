"""The worklist as the web app lists it: tabs, filters, sorting and flags over stored rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery

from openincome.benefits.models import BenefitClaim
from openincome.ledger.models import Tenancy, Tenant
from openincome.legal.models import CourtCase
from openincome.policy.store import params_in_force

from .models import Pause, WorklistEntry

COURT_ACTIONS = (
    "send_court_warning", "complete_pre_action_checklist", "apply_for_court",
    "update_court_outcome", "apply_for_warrant", "restore_hearing",
)
COURT_REASONS = (
    "awaiting_hearing", "possession_date_pending", "awaiting_eviction_date",
    "eviction_scheduled", "court_order_kept", "notice_period_running",
    "court_warning_period_running",
)
AGREEMENT_REASONS = ("agreement_kept", "court_order_kept", "waiting_after_breach_letter")

TABS = {
    "action": ("Action needed", ~Q(action__in=("none", "paused"))),
    "paused": ("Paused", Q(action="paused")),
    "agreements": (
        "Agreements",
        Q(reason__in=AGREEMENT_REASONS) | Q(action="review_breached_agreement")
        | Q(action="restore_hearing"),
    ),
    "court": ("Court and evictions", Q(action__in=COURT_ACTIONS) | Q(reason__in=COURT_REASONS)),
    "arrears": ("All in arrears", Q(arrears__gt=0)),
}

SORTS = {
    "priority": "priority",
    "tenancy": "tenancy__tenancy_ref",
    "balance": "balance",
    "arrears": "actionable_arrears",
    "weeks": "weeks_owed_x100",
    "days_since_payment": "days_since_last_payment",
    "action": "action",
}


@dataclass
class WorklistFilter:
    """What the officer asked to see."""

    as_of: datetime.date
    tab: str = "action"
    patches: list[str] = field(default_factory=list)
    action: str = ""
    tenure: str = ""
    sort: str = "priority"
    descending: bool = True
    officer: str = ""


def _flag_columns(tenancy: str, as_of: datetime.date) -> dict:
    """The lead tenant's name and the flags a worklist row shows, for a query whose
    `tenancy` column is the tenancy."""
    lead = Tenant.objects.filter(tenancy=OuterRef(tenancy)).order_by("-is_lead", "person_ref")
    return dict(
        lead_first=Subquery(lead.values("first_name")[:1]),
        lead_last=Subquery(lead.values("last_name")[:1]),
        on_uc=Exists(
            BenefitClaim.objects.filter(
                tenancy=OuterRef(tenancy), benefit="uc",
                status__in=("claimed", "awaiting", "in_payment"),
            )
        ),
        hearing=Subquery(
            CourtCase.objects.filter(tenancy=OuterRef(tenancy), hearing_date__gte=as_of)
            .order_by("hearing_date").values("hearing_date")[:1]
        ),
    )


def preview_flags(tenancy_ids: list[int], as_of: datetime.date) -> list[dict]:
    """The lead tenant's name and the flags of some tenancies, for rows not stored."""
    return list(Tenancy.objects.filter(pk__in=tenancy_ids)
                .annotate(tenancy_id=F("pk"), **_flag_columns("pk", as_of))
                .values("tenancy_id", "lead_first", "lead_last", "on_uc", "hearing"))


def worklist_rows(run, flt: WorklistFilter) -> QuerySet[WorklistEntry]:
    """Stored rows of a run for the tab and filters, with the flags the list shows."""
    rows = WorklistEntry.objects.filter(run=run).filter(TABS.get(flt.tab, TABS["action"])[1])
    if flt.patches:
        rows = rows.filter(patch__in=flt.patches)
    if flt.action:
        rows = rows.filter(action=flt.action)
    if flt.tenure:
        rows = rows.filter(tenure=flt.tenure)
    rows = rows.select_related("tenancy", "tenancy__property").annotate(
        **_flag_columns("tenancy", flt.as_of))
    order = SORTS.get(flt.sort, "priority")
    primary = f"-{order}" if flt.descending else order
    secondary = "-priority" if order != "priority" else "tenancy__tenancy_ref"
    return rows.order_by(primary, secondary, "tenancy__tenancy_ref")


def next_in_view(rows: QuerySet[WorklistEntry], tenancy_id: int,
                 at: int | None) -> tuple[int, int] | None:
    """The tenancy after this one in a worklist view, and its place (0-based), or None at the
    end. `at` is where the officer found this one: when it has left the view since (a contact
    recorded moves it off "Action needed"), the case now in its place comes next."""
    ids = list(rows.values_list("tenancy_id", flat=True))
    if tenancy_id in ids:
        here = ids.index(tenancy_id) + 1
    elif at is not None and at >= 0:
        here = at
    else:
        return None
    return (ids[here], here) if here < len(ids) else None


def pause_is_active(pause: Pause, as_of: datetime.date) -> bool:
    """Whether a pause holds recovery on a date, as the engine reads it (POLICY.md §3: a
    standard Breathing Space without an end date ends after its 60 days)."""
    policy = params_in_force(as_of)
    until = pause.end_date
    if until is None and pause.reason == policy.breathing_space_standard_reason:
        until = pause.start_date + datetime.timedelta(days=policy.breathing_space_standard_days)
    return pause.start_date <= as_of and (until is None or until >= as_of)


def tab_counts(run, flt: WorklistFilter) -> dict[str, int]:
    """How many rows each tab holds under the same patch and tenure filters."""
    base = WorklistEntry.objects.filter(run=run)
    if flt.patches:
        base = base.filter(patch__in=flt.patches)
    if flt.tenure:
        base = base.filter(tenure=flt.tenure)
    # One pass over the run's rows for every tab (a count per tab cost a scan each).
    # (Aliases apart from the field names: an aggregate called "action" would shadow the field.)
    counts = base.aggregate(**{f"n_{key}": Count("pk", filter=q) for key, (_, q) in TABS.items()})
    return {key: counts[f"n_{key}"] for key in TABS}
