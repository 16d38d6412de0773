"""The read side of cases, one way for every reader: the web pages, the command line and the
API ask here for a tenancy's recommendation, the worklist, the week's programme, a search and
the POLICY.md §7 row, so that each shows the same figures and sentences by the same code.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl
from django.db.models import Count, Expression, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Replace

from openincome.ledger.models import Landlord, Tenancy, Tenant
from openincome.ledger.stamps import versions
from openincome.policy.store import params_in_force, version_in_force

from .labels import action_label
from .models import Pause, WorklistEntry, WorklistRun
from .nightly import classify_as_of, with_sentences
from .programme import (
    Day,
    Scope,
    action_counts,
    lead_names,
    not_contacted,
    run_for,
    week_of,
    week_programme,
)
from .worklist_output import entry_object

__all__ = [
    "Day", "Scope", "WorklistFilter", "action_counts", "find_tenancies", "lead_names",
    "live_worklist", "not_contacted", "programme", "recommendation", "row_object", "run_for",
    "stored_row", "week_of", "worklist",
]

# The figures a recommendation carries, as the stored row holds them.
_SHOWN = ("tenancy_id", "balance", "arrears", "technical_arrears", "actionable_arrears",
          "weekly_charge", "days_in_arrears", "days_since_last_payment", "last_payment_date",
          "episode_start", "action", "notice_kind", "reasons", "explanations", "blocked_by",
          "block_explanations", "pause_reason", "pause_until", "priority", "vulnerable",
          "patch", "tenure")


def stored_row(tenancy: Tenancy, as_of: datetime.date) -> dict | None:
    """The stored worklist row for a tenancy as of a date, if it is still what the engine
    would say: same policy version and rent week, and none of its inputs changed since."""
    run = WorklistRun.objects.filter(as_of=as_of).only(
        "pk", "policy_version_id", "rent_week_day").first()
    if run is None or run.policy_version_id != version_in_force(as_of).pk:
        return None
    if run.rent_week_day != Landlord.current().rent_week_day:
        return None
    entry = (WorklistEntry.objects.filter(run=run, tenancy=tenancy)
             .values(*_SHOWN, "weeks_owed_x100", "inputs_version").first())
    if entry is None or entry.pop("inputs_version") != versions([tenancy.pk]).get(tenancy.pk, 0):
        return None
    weeks = entry.pop("weeks_owed_x100")
    entry["weeks_owed"] = None if weeks is None else weeks / 100
    return entry


def recommendation(tenancy: Tenancy, as_of: datetime.date) -> dict:
    """The engine's row for a tenancy as of a date, with its sentences and action label.

    The stored worklist row while nothing it depends on has changed (the nightly run, or the
    refresh after the last change); otherwise the engine classifies the tenancy now, and its
    sentences come from the same code the nightly run stores them with.
    """
    row = stored_row(tenancy, as_of)
    if row is None:
        live = with_sentences(classify_as_of(as_of, [tenancy.pk]), params_in_force(as_of))
        row = {key: value for key, value in live.row(0, named=True).items()
               if key in _SHOWN or key == "weeks_owed"}
    row["action_label"] = action_label(row["action"])
    return row


def programme(scope: Scope, monday: datetime.date,
              period_days: Mapping[str, int] | None = None) -> list[Day]:
    """The week from `monday`: each day's hearings, notice dates, promises, instalments and
    callbacks in scope (instalment periods from the policy in force that Monday)."""
    if period_days is None:
        period_days = params_in_force(monday).agreement_period_days
    return week_programme(scope, monday, period_days)


def row_object(entry: WorklistEntry) -> dict:
    """A stored worklist row as the POLICY.md §7 object (JSON, CSV and the API)."""
    return entry_object(entry)

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


# The flags a worklist row shows beside the engine's figures, each from the app that owns its
# records (benefits: on Universal Credit; legal: the next hearing), added when Django starts.
FlagSource = Callable[[OuterRef, datetime.date], Expression]
_flag_sources: dict[str, FlagSource] = {}


def add_flag(name: str, source: FlagSource) -> None:
    """Add a worklist flag: `source(tenancy, as_of)` gives its value for the tenancy (an
    OuterRef) as an annotation."""
    _flag_sources[name] = source


def _flag_columns(tenancy: str, as_of: datetime.date) -> dict:
    """The lead tenant's name and the flags a worklist row shows, for a query whose
    `tenancy` column is the tenancy."""
    lead = Tenant.objects.filter(tenancy=OuterRef(tenancy)).order_by("-is_lead", "person_ref")
    return dict(
        lead_first=Subquery(lead.values("first_name")[:1]),
        lead_last=Subquery(lead.values("last_name")[:1]),
        **{name: source(OuterRef(tenancy), as_of) for name, source in _flag_sources.items()},
    )


def preview_flags(tenancy_ids: list[int], as_of: datetime.date) -> list[dict]:
    """The lead tenant's name and the flags of some tenancies, for rows not stored."""
    return list(Tenancy.objects.filter(pk__in=tenancy_ids)
                .annotate(tenancy_id=F("pk"), **_flag_columns("pk", as_of))
                .values("tenancy_id", "lead_first", "lead_last", *_flag_sources))


# Beyond the page's tabs: what the command line lists (every row, or those needing anything).
SCOPES = {**{key: q for key, (_, q) in TABS.items()}, "listed": ~Q(action="none"),
          "every": Q()}


def worklist(run, flt: WorklistFilter) -> QuerySet[WorklistEntry]:
    """Stored rows of a run for the tab and filters, with the flags the list shows, in the
    order asked (highest priority first by default)."""
    rows = WorklistEntry.objects.filter(run=run).filter(SCOPES.get(flt.tab, TABS["action"][1]))
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


def live_worklist(as_of: datetime.date, flt: WorklistFilter, limit: int) -> list[dict]:
    """The cases needing action under the filter's patches, tenure and action, classified now
    and not stored (no run yet for the date), highest priority first: at most `limit` rows,
    each with its sentences and the flags the list shows."""
    tenancies = Tenancy.objects.filter(property__patch__code__in=flt.patches)
    if flt.tenure:
        tenancies = tenancies.filter(tenure=flt.tenure)
    ids = list(tenancies.values_list("pk", flat=True))
    if not ids:
        return []
    result = classify_as_of(as_of, ids).filter(~pl.col("action").is_in(["none", "paused"]))
    if flt.action:
        result = result.filter(pl.col("action") == flt.action)
    result = result.sort(["priority", "tenancy_ref"], descending=[True, False]).head(limit)
    result = with_sentences(result, params_in_force(as_of))
    flags = {e["tenancy_id"]: e for e in preview_flags(result["tenancy_id"].to_list(), as_of)}
    return [{**row, **flags.get(row["tenancy_id"], {})} for row in result.iter_rows(named=True)]


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


SEARCH_LIMIT = 25


def _digits(column: str):
    """A phone column with its spaces, dashes and brackets taken out."""
    expr = F(column)
    for ch in (" ", "-", "(", ")"):
        expr = Replace(expr, Value(ch), Value(""))
    return expr


def _by_contact(word: str) -> Q:
    """Tenancies with a tenant whose email holds the word, or whose numbers hold its digits
    (typed with or without spaces)."""
    tenants = Tenant.objects.filter(email__icontains=word)
    digits = "".join(ch for ch in word if ch.isdigit())
    if len(digits) >= 4 and len(digits) >= len(word.replace(" ", "")) - 1:
        tenants = Tenant.objects.annotate(m=_digits("mobile"), p=_digits("phone")).filter(
            Q(email__icontains=word) | Q(m__contains=digits) | Q(p__contains=digits))
    return Q(pk__in=tenants.values("tenancy_id"))


def find_tenancies(query: str, limit: int = SEARCH_LIMIT) -> list[Tenancy]:
    """Tenancies where every word of the query matches a name, reference, address, postcode,
    phone number or email; a postcode or phone number matches with or without its spaces."""
    query = query.strip()
    if len(query) < 2:
        return []
    tenancies = Tenancy.objects.select_related("property").annotate(
        postcode_nospace=Replace(F("property__postcode"), Value(" "), Value("")))
    # A query that is wholly a postcode or a phone number is one word, however it is spaced.
    compact = query.replace(" ", "")
    whole = (Q(postcode_nospace__icontains=compact) | _by_contact(compact)
             if " " in query else None)
    words = query.split()[:6]
    matches = Q()
    for word in words:
        matches &= (
            Q(tenancy_ref__icontains=word)
            | Q(payment_reference__icontains=word)
            | Q(postcode_nospace__icontains=word)
            | Q(property__address_line_1__icontains=word)
            | Q(property__town__icontains=word)
            | Q(pk__in=Tenant.objects.filter(Q(first_name__icontains=word)
                                             | Q(last_name__icontains=word))
                .values("tenancy_id"))
            | _by_contact(word)
        )
    tenancies = tenancies.filter(matches | whole if whole is not None else matches)
    found = list(tenancies.order_by("tenancy_ref")[:limit])
    for tenancy in found:
        tenancy.names = ", ".join(t.full_name for t in tenancy.tenants.all())
    return found
