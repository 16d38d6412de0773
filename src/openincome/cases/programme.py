"""The officer's week: what falls due on each day, and the cases nobody has contacted lately.

Reads only: the web page calls these with the week and the patches (or officer) in view.
Dates are arguments; nothing here reads the clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest

from openincome.common.dates import uk_date as common_uk_date
from openincome.ledger.limits import DATE_MAX, DATE_MIN
from openincome.ledger.models import Promise, RecordedAction, Tenant

from .labels import ACTION_LABELS
from .models import Contact, WorklistEntry, WorklistRun

# What each kind of entry is called on the page, in the order a day lists them.
KINDS = {
    "hearing": "Court hearing",
    "notice_proceedings": "Earliest date for court proceedings",
    "notice_expiry": "Notice expires",
    "promise": "Promise to pay due",
    "instalment": "Agreement instalment due",
    "callback": "Call back",
}
# Recorded actions that are contacts (record_contact writes one of these for most contacts).
CONTACT_ACTIONS = ("contact_made", "contact_attempted")


def uk_date(day: datetime.date) -> str:
    """A date as people read it: Mon 7 Dec 2026."""
    return common_uk_date(day, weekday=True)


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The Monday and Sunday of the week holding `day`, kept inside the accepted dates."""
    monday = max(day - datetime.timedelta(days=day.weekday()), DATE_MIN)
    return monday, min(monday + datetime.timedelta(days=6), DATE_MAX)


@dataclass(frozen=True)
class Scope:
    """Whose programme: tenancies on these patches (all when empty), and an officer's callbacks."""

    patches: tuple[str, ...] = ()
    officer: str = ""  # username; their callbacks show wherever the tenancy is

    def tenancies(self, prefix: str = "tenancy__") -> Q:
        """A filter on the tenancies in scope, through the relation `prefix`."""
        if not self.patches:
            return Q()
        return Q(**{f"{prefix}property__patch__code__in": self.patches})


@dataclass
class Entry:
    """One thing due on a day, on one tenancy."""

    day: datetime.date
    kind: str
    tenancy_ref: str
    tenancy_id: int
    detail: str = ""
    amount: int | None = None  # pence, when there is one
    name: str = ""
    done: bool = False  # a call-back someone has since made

    @property
    def label(self) -> str:
        """What is due, in words."""
        return KINDS[self.kind]


@dataclass
class Day:
    """A day of the week and what falls due on it."""

    day: datetime.date
    entries: list[Entry] = field(default_factory=list)


def _promises(scope: Scope, first, last) -> Iterable[Entry]:
    promises = (Promise.objects.filter(scope.tenancies(), due_date__range=(first, last))
                .select_related("tenancy"))
    for promise in promises:
        yield Entry(promise.due_date, "promise", promise.tenancy.tenancy_ref, promise.tenancy_id,
                    f"Promised on {uk_date(promise.made_date)}", promise.amount)


def _callbacks(scope: Scope, first, last) -> Iterable[Entry]:
    mine = scope.tenancies()
    if scope.officer and scope.patches:
        mine |= Q(officer__username=scope.officer)
    # Any contact logged after the one that arranged it answers a call-back.
    later = Contact.objects.filter(tenancy=OuterRef("tenancy"), pk__gt=OuterRef("pk"),
                                   date__gte=OuterRef("date"))
    contacts = (Contact.objects.filter(mine, callback_date__range=(first, last))
                .annotate(done=Exists(later)).select_related("tenancy", "officer"))
    for contact in contacts:
        by = contact.officer.get_full_name() or contact.officer.get_username()
        yield Entry(contact.callback_date, "callback", contact.tenancy.tenancy_ref,
                    contact.tenancy_id, f"Arranged by {by} on {uk_date(contact.date)}",
                    done=contact.done)


def lead_names(tenancy_ids: Iterable[int]) -> dict[int, str]:
    """Each tenancy's lead tenant's name (the first tenant when none is marked lead)."""
    names: dict[int, str] = {}
    tenants = (Tenant.objects.filter(tenancy_id__in=set(tenancy_ids))
               .order_by("tenancy_id", F("is_lead").desc(nulls_last=True), "person_ref"))
    for t in tenants:
        names.setdefault(t.tenancy_id, " ".join(p for p in (t.title, t.first_name, t.last_name)
                                                if p))
    return names


# What else falls due in a week comes from the apps that own those records (hearings and notice
# dates from legal, instalments from agreements): each adds its reader when Django starts
# (AppConfig.ready), so cases imports none of them (the layers in pyproject.toml).
DueSource = Callable[["Scope", datetime.date, datetime.date, Mapping[str, int]], Iterable["Entry"]]
_due_sources: list[DueSource] = []


def add_due_source(source: DueSource) -> None:
    """Add a reader of entries due between two dates (scope, first, last, period days)."""
    if source not in _due_sources:
        _due_sources.append(source)


def week_programme(
    scope: Scope, monday: datetime.date, period_days: Mapping[str, int]
) -> list[Day]:
    """Each day of the week from `monday`: hearings, notice dates, promises to pay, instalments
    and callbacks."""
    last = min(monday + datetime.timedelta(days=6), DATE_MAX)
    entries = [*_promises(scope, monday, last), *_callbacks(scope, monday, last)]
    for source in _due_sources:
        entries += source(scope, monday, last, period_days)
    names = lead_names(e.tenancy_id for e in entries)
    order = list(KINDS)
    days = {monday + datetime.timedelta(days=i): Day(monday + datetime.timedelta(days=i))
            for i in range((last - monday).days + 1)}
    for e in sorted(entries, key=lambda e: (e.day, order.index(e.kind), e.tenancy_ref)):
        e.name = names.get(e.tenancy_id, "")
        days[e.day].entries.append(e)
    return list(days.values())


def run_for(as_of: datetime.date) -> WorklistRun | None:
    """The latest stored worklist on or before a date."""
    return WorklistRun.objects.filter(as_of__lte=as_of).order_by("-as_of").first()


def not_contacted(
    run: WorklistRun, scope: Scope, as_of: datetime.date, days: int
) -> QuerySet[WorklistEntry]:
    """Cases in arrears (not paused) with no contact in the `days` days up to `as_of`.

    A contact is a logged contact or a recorded contact action, dated on or before `as_of`;
    each row carries `latest`, its last contact's date (DATE_MIN when never), the
    longest-waiting first.
    """
    since = as_of - datetime.timedelta(days=days)
    contact = (Contact.objects.filter(tenancy=OuterRef("tenancy"), date__lte=as_of)
               .values("tenancy").annotate(m=Max("date")).values("m"))
    action = (RecordedAction.objects.filter(tenancy=OuterRef("tenancy"), date__lte=as_of,
                                            code__in=CONTACT_ACTIONS)
              .values("tenancy").annotate(m=Max("date")).values("m"))
    never = Value(DATE_MIN, output_field=DateField())
    rows = WorklistEntry.objects.filter(run=run, arrears__gt=0).exclude(action="paused")
    if scope.patches:
        rows = rows.filter(patch__in=scope.patches)
    # Greatest of two possibly missing dates: SQLite's is NULL if either is, so fill both.
    rows = rows.annotate(latest=Greatest(Coalesce(Subquery(contact), never),
                                         Coalesce(Subquery(action), never)))
    return (rows.filter(latest__lt=since).select_related("tenancy", "tenancy__property")
            .order_by("latest", "-arrears", "tenancy__tenancy_ref"))


def action_counts(run: WorklistRun, scope: Scope) -> list[tuple[str, int]]:
    """How many cases in scope need each action (in the ladder's order), paused ones aside."""
    rows = WorklistEntry.objects.filter(run=run).exclude(action__in=("none", "paused"))
    if scope.patches:
        rows = rows.filter(patch__in=scope.patches)
    counts = dict(rows.values_list("action").annotate(n=Count("id")).values_list("action", "n"))
    order = {a: i for i, a in enumerate(ACTION_LABELS)}
    return sorted(counts.items(), key=lambda x: (order.get(x[0], len(order)), x[0]))
