"""The read side of agreements: a tenancy's agreements, the live one, its state at a date, its
progress, when instalments fall due (the week's programme), statements and referrals.

Breached is never stored: it is what the engine finds at the date (POLICY.md §4, §3.9), read
here from the engine's own result row so every page, letter and command says the same.
"""

from __future__ import annotations

import datetime
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from openincome.cases.programme import Entry, Scope
from openincome.ledger.models import Tenancy, Transaction
from openincome.policy.store import params_in_force

from . import plan
from .models import Agreement, GuidelineTable, IncomeExpenditure, Referral


def agreements_of(tenancy: Tenancy) -> QuerySet[Agreement]:
    """A tenancy's agreements, the latest start first."""
    return tenancy.agreements.order_by("-start_date", "-pk")


def live_agreement(tenancy: Tenancy) -> Agreement | None:
    """The tenancy's live agreement (the latest start, should imported data hold several)."""
    return agreements_of(tenancy).filter(status="live").first()


@dataclass(frozen=True)
class Monitoring:
    """An agreement's state at a date: live, breached (derived), completed or cancelled, and
    for the one the engine monitors, its expected balance against the arrears it compares."""

    agreement: Agreement
    state: str
    expected: int | None = None
    compared: int | None = None

    @property
    def breached_by(self) -> int:
        """How far the compared arrears are above the expected balance (0 when kept)."""
        if self.expected is None or self.compared is None:
            return 0
        return max(0, self.compared - self.expected)


# Engine readings kept in this process: the engine is a pure function of its inputs, the
# policy and the date, so a reading keyed by a digest of them never goes stale, and an account
# shown again (or a chart's earlier dates, unchanged by today's payment) costs only the read.
_READINGS: OrderedDict[bytes, dict] = OrderedDict()
_READINGS_KEPT = 4096
_readings_lock = threading.Lock()


def _digest(frames: Mapping[str, object], *parts: object) -> bytes:
    """A digest of the engine's input frames (their schemas and every row) and other parts."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20)
    for name in sorted(frames):
        frame = frames[name]
        digest.update(f"{name}:{frame.schema}:{frame.height}".encode())
        if frame.height:
            digest.update(frame.hash_rows(seed=14).to_numpy().tobytes())
    return digest.digest()


def engine_view(tenancy: Tenancy, as_of: datetime.date) -> dict:
    """The engine's agreement figures for a tenancy at a date (classified now, not stored):
    the monitored agreement's ref, its expected balance and the arrears §4 compares."""
    from openincome.cases.frames import load_frames
    from openincome.engine import EngineInputs, classify
    from openincome.ledger.models import Landlord

    frames = load_frames(as_of, [tenancy.pk])
    policy = params_in_force(as_of)
    rent_week_day = Landlord.current().rent_week_day
    key = _digest(frames, as_of, policy, rent_week_day)
    with _readings_lock:
        if key in _READINGS:
            _READINGS.move_to_end(key)
            return dict(_READINGS[key])
    row = classify(EngineInputs(**frames), policy, as_of,
                   rent_week_day=rent_week_day).row(0, named=True)
    view = {"agreement_ref": row["agreement_ref"], "expected": row["agreement_expected"],
            "compared": row[policy.breach_compares],
            "breach_letter_date": row["breach_letter_date"]}
    with _readings_lock:
        _READINGS[key] = view
        while len(_READINGS) > _READINGS_KEPT:
            _READINGS.popitem(last=False)
    return dict(view)


def monitoring(agreement: Agreement, as_of: datetime.date,
               view: dict | None = None) -> Monitoring:
    """The agreement's state at a date (`view`: engine_view of its tenancy, when at hand)."""
    if agreement.status != "live":
        return Monitoring(agreement, agreement.status)
    view = view if view is not None else engine_view(agreement.tenancy, as_of)
    if view["agreement_ref"] != agreement.agreement_ref or view["expected"] is None:
        # Not started by the date, or an older live one the engine does not monitor.
        return Monitoring(agreement, "live")
    breached = (view["compared"] or 0) > view["expected"]
    return Monitoring(agreement, "breached" if breached else "live", view["expected"],
                      view["compared"])


def terms(agreement: Agreement, weekly_charge: int | None = None) -> str:
    """The agreement's terms in words, for letters and pages (plan.terms_in_words); the weekly
    charge is the engine's at the agreement's start when not given."""
    if weekly_charge is None:
        from openincome.cases.queries import recommendation

        row = recommendation(agreement.tenancy, agreement.start_date)
        weekly_charge = int(row["weekly_charge"] or 0)
    return plan.terms_in_words(
        start=agreement.start_date, balance=agreement.starting_balance,
        instalment=agreement.instalment, frequency=agreement.frequency,
        weekly_charge=weekly_charge, lump_sum=agreement.lump_sum,
        period_days=params_in_force(agreement.start_date).agreement_period_days,
    )


def guideline_table(as_of: datetime.date) -> GuidelineTable | None:
    """The guideline table in force on a date (the latest starting on or before it)."""
    return (GuidelineTable.objects.filter(effective_from__lte=as_of)
            .order_by("-effective_from").first())


def guidelines(table: GuidelineTable | None, adults: int, children: int) -> dict[str, int]:
    """Category -> monthly guideline for a household: the row for the largest household in the
    table no bigger than this one (so a big family is judged at least as generously as the
    biggest one the table lists)."""
    if table is None:
        return {}
    found: dict[str, int] = {}
    rows = (table.figures.filter(adults__lte=max(adults, 1), children__lte=children)
            .order_by("category", "-adults", "-children"))
    for row in rows:
        found.setdefault(row.category, row.monthly)
    return found


def statements_of(tenancy: Tenancy) -> QuerySet[IncomeExpenditure]:
    """A tenancy's income and expenditure statements, the draft and the latest first."""
    return tenancy.statements.order_by("-status", "-completed_date", "-pk")


def draft_statement(tenancy: Tenancy) -> IncomeExpenditure | None:
    """The tenancy's statement in progress, if any."""
    return tenancy.statements.filter(status="draft").first()


def latest_statement(tenancy: Tenancy) -> IncomeExpenditure | None:
    """The latest completed statement, if any."""
    return (tenancy.statements.filter(status="completed")
            .order_by("-completed_date", "-pk").first())


def step_dates(agreement: Agreement, until: datetime.date) -> list[datetime.date]:
    """The dates from the start to `until` on which §4's expected balance changes: the start
    (B), the first due date S + T, then one period after another (plan.nth_due_date) until the
    instalments have met B and the expectation rests at nil."""
    if until < agreement.start_date or agreement.instalment <= 0:
        return []
    policy = params_in_force(agreement.start_date)
    first = agreement.start_date + datetime.timedelta(days=policy.agreement_tolerance_days)
    count = -(-agreement.starting_balance // agreement.instalment)
    days = [agreement.start_date]
    for n in range(1, count + 1):
        day = plan.nth_due_date(first, agreement.frequency, n, policy.agreement_period_days)
        if day > until:
            break
        days.append(day)
    return days


class EngineViews:
    """The engine's agreement figures (engine_view) for one tenancy at dates, each date
    classified once: the chart, the state and the breach date share their readings."""

    def __init__(self, tenancy: Tenancy) -> None:
        self.tenancy = tenancy
        self.seen: dict[datetime.date, dict] = {}

    def __call__(self, day: datetime.date) -> dict:
        """The engine's view at a date."""
        if day not in self.seen:
            self.seen[day] = engine_view(self.tenancy, day)
        return self.seen[day]

    def breached(self, agreement: Agreement, day: datetime.date) -> bool:
        """Whether the engine, classifying at `day`, monitors this agreement and finds it
        breached (§4: the compared arrears above the expected balance)."""
        view = self(day)
        return (view["agreement_ref"] == agreement.agreement_ref
                and view["expected"] is not None and (view["compared"] or 0) > view["expected"])


def breached_since(agreement: Agreement, as_of: datetime.date,
                   views: EngineViews | None = None, recent: int = 12) -> datetime.date | None:
    """The first day of the breach the engine finds at `as_of` (None when it finds none).

    Between a step date and the next credit to the account, the expected balance only falls
    and the compared arrears only rise, so a breach can end only on a credit's day and begin
    between two such days. The engine is read back over those days (step dates and credits),
    newest first: one by one over the latest `recent`, then at doubling distances, to the last
    one it found the plan kept; the days between that one and the next are then halved to the
    day the breach began (a new rent period can start it as well as an instalment). Beyond the
    one-by-one readings a breach is taken as unbroken between two readings that find it.
    """
    views = views if views is not None else EngineViews(agreement.tenancy)
    if agreement.status != "live" or not views.breached(agreement, as_of):
        return None
    credits = agreement.tenancy.transactions.filter(
        date__gt=agreement.start_date, date__lt=as_of, amount__lt=0).values_list("date", flat=True)
    days = sorted({*(day for day in step_dates(agreement, as_of) if day < as_of), *credits})
    hit, kept = len(days), None  # days[hit]: the earliest found breached (as_of past the end)
    for i in range(len(days) - 1, max(-1, len(days) - 1 - recent), -1):
        if not views.breached(agreement, days[i]):
            kept = i
            break
        hit = i
    if kept is None and hit > 0 and len(days) > recent:
        gap = 1
        while hit > 0:
            j = max(0, hit - gap)
            if not views.breached(agreement, days[j]):
                kept = j
                break
            hit, gap = j, gap * 2
        while kept is not None and hit - kept > 1:
            middle = (hit + kept) // 2
            if views.breached(agreement, days[middle]):
                hit = middle
            else:
                kept = middle
    first = days[hit] if hit < len(days) else as_of
    if kept is None:
        return first  # breached at the start itself
    low = days[kept]
    while (first - low).days > 1:
        middle = low + datetime.timedelta(days=(first - low).days // 2)
        if views.breached(agreement, middle):
            first = middle
        else:
            low = middle
    return first


@dataclass(frozen=True)
class Progress:
    """How a plan has gone, as the engine saw it: the expected balance (§4) against the
    arrears it compares at each of the latest step dates (and today), the payments made since
    the plan started, and the first day of the breach it finds today (None when kept)."""

    points: list[dict]
    payments: list[Transaction]
    paid: int
    breached_since: datetime.date | None


def progress(agreement: Agreement, as_of: datetime.date, most: int = 12,
             views: EngineViews | None = None) -> Progress:
    """The plan's progress up to a date (the latest `most` step dates, for the chart)."""
    views = views if views is not None else EngineViews(agreement.tenancy)
    policy = params_in_force(agreement.start_date)
    end = min(as_of, agreement.end_date or as_of)
    days = step_dates(agreement, end)
    if days and days[-1] != end:
        days.append(end)
    points = []
    for day in days[-most:]:
        view = views(day)
        if view["agreement_ref"] == agreement.agreement_ref and view["expected"] is not None:
            points.append({"date": day.isoformat(), "expected": view["expected"],
                           "arrears": view["compared"] or 0})
    payments = list(agreement.tenancy.transactions.filter(
        date__gte=agreement.start_date, date__lte=end, type__in=list(policy.payment_types),
    ).order_by("date", "pk"))
    since = breached_since(agreement, as_of, views, recent=most) if end == as_of else None
    return Progress(points, payments, -sum(t.amount for t in payments), since)


REFERRAL_SORTS = {"referred": ("referred_date", "pk"), "tenancy": ("tenancy__tenancy_ref", "pk"),
                  "kind": ("kind", "referred_date", "pk"),
                  "agency": ("agency__name", "referred_date", "pk")}


def referrals(*, status: str = "open", kind: str = "", agency: str = "", patch: str = "",
              sort: str = "referred", descending: bool = False) -> QuerySet[Referral]:
    """Referrals for the team's list: open (no outcome yet), closed or all; of one kind, agency
    or patch; sorted by REFERRAL_SORTS (the oldest referral first by default)."""
    rows = Referral.objects.select_related("agency", "tenancy", "tenancy__property",
                                           "tenancy__property__patch", "officer")
    if status == "open":
        rows = rows.filter(outcome="")
    elif status == "closed":
        rows = rows.exclude(outcome="")
    if kind:
        rows = rows.filter(kind=kind)
    if agency:
        rows = rows.filter(agency__name=agency)
    if patch:
        rows = rows.filter(tenancy__property__patch__code=patch)
    order = REFERRAL_SORTS.get(sort, REFERRAL_SORTS["referred"])
    return rows.order_by(*(f"-{key}" if descending else key for key in order))


def referral_counts(rows: QuerySet[Referral]) -> dict[str, int]:
    """How many of these referrals there are of each kind (kind code -> count, most first)."""
    counted = rows.order_by().values("kind").annotate(n=Count("pk")).order_by("-n", "kind")
    return {row["kind"]: row["n"] for row in counted}


def referrals_of(tenancy: Tenancy) -> QuerySet[Referral]:
    """Every referral of a tenancy, the latest first."""
    return tenancy.referrals.select_related("agency").order_by("-referred_date", "-pk")


def instalments_due(
    start: datetime.date, frequency: str, instalment: int, starting_balance: int,
    first: datetime.date, last: datetime.date, period_days: Mapping[str, int],
) -> list[tuple[datetime.date, int]]:
    """The (due date, pence) of an agreement's instalments that fall from `first` to `last`.

    The (k+1)-th instalment (k = 0, 1, ...) falls due on plan.nth_due_date: the first on the
    start date, then a period at a time (a calendar month for monthly, so a 31st stays the
    last day of shorter months). The agreement ends when the instalments have paid the
    starting balance, the last one being what is left. (POLICY.md §4's tolerance is a grace
    before a breach, not a due date.)
    """
    if instalment <= 0 or starting_balance <= 0 or last < max(first, start):
        return []
    count = -(-starting_balance // instalment)  # instalments in all, the last one partial
    length = period_days.get(frequency)
    # The first instalment that may fall on or after `first`, without walking from the start.
    if length:
        k = max(0, (first - start).days // length)
    else:
        k = max(0, (first.year - start.year) * 12 + first.month - start.month - 1)
    found = []
    while k < count:
        try:
            day = plan.nth_due_date(start, frequency, k + 1, period_days)
        except (OverflowError, ValueError):  # past year 9999: nothing more can fall due
            break
        if day > last:
            break
        if day >= first:
            found.append((day, min(instalment, starting_balance - k * instalment)))
        k += 1
    return found


def instalments(scope: Scope, first: datetime.date, last: datetime.date,
                period_days: Mapping[str, int]) -> Iterable[Entry]:
    """Live agreements' instalments due from `first` to `last` in scope (the programme's)."""
    agreements = (Agreement.objects.filter(scope.tenancies(), status="live", start_date__lte=last)
                  .select_related("tenancy"))
    for agreement in agreements:
        for day, pence in instalments_due(
            agreement.start_date, agreement.frequency, agreement.instalment,
            agreement.starting_balance, first, last, period_days,
        ):
            yield Entry(day, "instalment", agreement.tenancy.tenancy_ref, agreement.tenancy_id,
                        f"Agreement {agreement.agreement_ref}", pence)
