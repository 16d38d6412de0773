"""Every read the payments pages and commands need."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum

from openincome.ledger.models import Tenancy, Transaction

from .models import BankCsvMapping, Payment, PaymentImport, SuspenseMovement
from .plan import PAYMENT_TYPES

# Sort keys a list page accepts (query `sort`, `-` first for descending).
SORTS = {"date": ("date", "id"), "amount": ("amount", "id"), "reference": ("reference", "id")}


def _sorted(rows: QuerySet, sort: str) -> QuerySet:
    key = sort.lstrip("-")
    fields = SORTS.get(key, SORTS["date"])
    if sort.startswith("-"):
        fields = tuple(f"-{f}" for f in fields)
    return rows.order_by(*fields)


def import_history() -> QuerySet:
    """Every payment file imported, latest first."""
    return PaymentImport.objects.order_by("-imported_at", "-id")


def import_run(import_id: int) -> PaymentImport | None:
    """One import, or None."""
    return PaymentImport.objects.filter(pk=import_id).first()


def suspense_items(sort: str = "date", q: str = "") -> QuerySet:
    """Payments waiting in suspense (matched no tenancy), sorted; `q` searches reference and
    description."""
    rows = Payment.objects.filter(status="suspense").select_related("import_run")
    if q:
        rows = rows.filter(Q(reference__icontains=q) | Q(description__icontains=q)
                           | Q(claim_ref__icontains=q))
    return _sorted(rows, sort)


def held_items(sort: str = "date") -> QuerySet:
    """Payments held as possible duplicates, waiting for finance."""
    return _sorted(Payment.objects.filter(status="held").select_related("import_run", "tenancy"),
                   sort)


def payment(payment_id: int) -> Payment | None:
    """One payment received, or None."""
    return (Payment.objects.filter(pk=payment_id)
            .select_related("import_run", "tenancy").first())


def suspense_balance() -> int:
    """Pence in suspense: every movement in less every movement out."""
    totals = dict(SuspenseMovement.objects.values("kind").annotate(t=Sum("amount"))
                  .values_list("kind", "t"))
    return (totals.get("in") or 0) - (totals.get("out") or 0)


def find_tenancies(q: str, limit: int = 20) -> list[Tenancy]:
    """Tenancies whose ref, payment reference, address or claim ref contain `q`."""
    q = q.strip()
    if not q:
        return []
    found = Tenancy.objects.filter(
        Q(tenancy_ref__icontains=q) | Q(payment_reference__icontains=q.replace(" ", ""))
        | Q(property__address_line_1__icontains=q) | Q(property__postcode__icontains=q)
        | Q(benefit_claims__claim_ref__icontains=q)
    ).select_related("property").distinct().order_by("tenancy_ref")
    return list(found[:limit])


def tenancy_by_ref(tenancy_ref: str) -> Tenancy | None:
    """A tenancy by its ref, or None."""
    return Tenancy.objects.filter(tenancy_ref=tenancy_ref).select_related("property").first()


def payments_by_channel(tenancy: Tenancy, as_of: datetime.date,
                        days: int = 365) -> list[dict]:
    """Money received on the account in the year to `as_of`, by channel (transaction type):
    count and total pence, net of reversals of moved payments."""
    since = as_of - datetime.timedelta(days=days)
    rows = (Transaction.objects.filter(tenancy=tenancy, date__gt=since, date__lte=as_of,
                                       type__in=PAYMENT_TYPES)
            .values("type").annotate(n=Count("id"), total=Sum("amount")).order_by("type"))
    return [{"type": r["type"], "count": r["n"], "total": -r["total"]} for r in rows]


def suspense_events(tenancy: Tenancy) -> QuerySet:
    """Payments allocated to this tenancy from suspense or confirmed after being held."""
    return (Payment.objects.filter(tenancy=tenancy, status__in=("allocated", "confirmed",
                                                                  "held"))
            .order_by("-date", "-id"))


def mappings() -> QuerySet:
    """The saved bank statement column mappings."""
    return BankCsvMapping.objects.order_by("name")


def modulus_table():
    """The loaded modulus weight table, as the checker takes it."""
    from .models import ModulusWeight
    from .modulus import WeightRow

    return [WeightRow(r.start, r.end, r.method, tuple(int(w) for w in r.weights.split()),
                      r.exception) for r in ModulusWeight.objects.order_by("position")]


def modulus_check(sort_code: str, account_number: str):
    """The modulus check against the loaded table (cannot check when none is loaded)."""
    from .modulus import Result, check

    table = modulus_table()
    if not table:
        return Result(None, "no modulus weight table is loaded (openincome payments modulus "
                      "load FILE)")
    return check(sort_code, account_number, table)


def mandates(tenancy: Tenancy | None = None) -> QuerySet:
    """Direct Debit mandates, latest first (one tenancy's when given)."""
    from .models import DirectDebitMandate

    rows = DirectDebitMandate.objects.select_related("tenancy").order_by("-created_at", "-id")
    return rows.filter(tenancy=tenancy) if tenancy is not None else rows


def next_on(frequency: str, day: int, start: datetime.date,
            on: datetime.date) -> datetime.date:
    """The first due date on or after `on` of a schedule (frequency, day) starting at `start`
    (due dates are not moved for bank holidays; the collection file moves them)."""
    first = max(on, start)
    if frequency == "monthly":
        year, month = first.year, first.month
        if first.day > day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return datetime.date(year, month, day)
    step = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[frequency]
    # The cycle counts in weeks from the first collection on the mandate's weekday.
    anchor = start + datetime.timedelta(days=(day - start.weekday()) % 7)
    if first <= anchor:
        return anchor
    weeks = -(-(first - anchor).days // 7)
    weeks += (-weeks) % step
    return anchor + datetime.timedelta(weeks=weeks)


def next_collection(mandate, as_of: datetime.date) -> datetime.date | None:
    """The first due date on or after `as_of` (not moved for bank holidays), or None for a
    cancelled mandate; a pending change of terms applies from its date."""
    if mandate.status != "live":
        return None
    if mandate.pending_from is None:
        return next_on(mandate.frequency, mandate.day, mandate.start_date, as_of)
    if as_of < mandate.pending_from:
        old = next_on(mandate.frequency, mandate.day, mandate.start_date, as_of)
        if old < mandate.pending_from:
            return old
    return next_on(mandate.pending_frequency, mandate.pending_day, mandate.pending_from,
                   max(as_of, mandate.pending_from))


@dataclass(frozen=True)
class Terms:
    """What a mandate collects on a due date: pence, frequency and day."""

    amount: int
    frequency: str
    day: int


def terms_on(mandate, due: datetime.date) -> Terms:
    """The terms in force for a due date (the pending ones from their date)."""
    if mandate.pending_from is not None and due >= mandate.pending_from:
        return Terms(mandate.pending_amount, mandate.pending_frequency, mandate.pending_day)
    return Terms(mandate.amount, mandate.frequency, mandate.day)


def collection_window(collect_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The due dates a collection day takes: those after the previous working day, up to and
    including this one (a Saturday's or a bank holiday's collection moves to the next working
    day)."""
    from openincome.common.workdays import business_days_before

    return business_days_before(collect_on, 1) + datetime.timedelta(days=1), collect_on


def originator():
    """The landlord's Bacs service user details, or None before they are saved."""
    from .models import DirectDebitOriginator

    return DirectDebitOriginator.objects.order_by("id").first()


def dd_files(kind: str | None = None) -> QuerySet:
    """Bacs files written, latest first."""
    from .models import DirectDebitFile

    rows = DirectDebitFile.objects.order_by("-date", "-id").defer("content")
    return rows.filter(kind=kind) if kind else rows


def open_dd_tasks(tenancy: Tenancy | None = None) -> QuerySet:
    """Direct Debit tasks not yet closed (one tenancy's when given), latest first."""
    from .models import DirectDebitTask

    rows = (DirectDebitTask.objects.filter(closed_at__isnull=True)
            .select_related("tenancy", "mandate").order_by("-on", "-id"))
    return rows.filter(tenancy=tenancy) if tenancy is not None else rows


def collections_of(mandate) -> QuerySet:
    """A mandate's collections, latest first."""
    return mandate.collections.order_by("-collected_on", "-id")


@dataclass(frozen=True)
class AccountAmount:
    """What a mandate collects when it follows the account: the charge and any agreement
    instalment, each per collection (pence), and their total."""

    charge: int
    instalment: int

    @property
    def total(self) -> int:
        """Pence per collection."""
        return self.charge + self.instalment


def _per_collection(amount: int, frequency: str, collects: str, policy) -> Fraction:
    num, den = policy.weekly_equivalents[frequency]
    weekly = Fraction(amount * num, den)
    if collects == "monthly":
        num, den = policy.weekly_equivalents["monthly"]
        return weekly * den / num
    return weekly * {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[collects]


def _rounded(value: Fraction) -> int:
    # Half a penny rounds up, so a monthly collection never falls short of the charge.
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def account_amount(tenancy: Tenancy, collects: str, on: datetime.date) -> AccountAmount:
    """The charge in force on `on` plus the live agreement's instalment, per collection of a
    mandate collecting `collects` (weekly, fortnightly, four-weekly or monthly)."""
    from openincome.agreements.models import Agreement
    from openincome.ledger.models import Charge
    from openincome.policy.store import params_in_force

    policy = params_in_force(on)
    charges = Charge.objects.filter(tenancy=tenancy, effective_from__lte=on).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=on))
    charge = sum((_per_collection(c.amount, c.frequency, collects, policy) for c in charges),
                 Fraction(0))
    agreement = (Agreement.objects.filter(tenancy=tenancy, status="live", start_date__lte=on)
                 .order_by("-start_date", "-pk").first())
    instalment = (Fraction(0) if agreement is None else
                  _per_collection(agreement.instalment, agreement.frequency, collects, policy))
    return AccountAmount(_rounded(charge), _rounded(instalment))


def account_changes(tenancy: Tenancy, after: datetime.date) -> list[datetime.date]:
    """The days after `after` on which the tenancy's charge or agreement changes (new charges
    and ends of old ones, agreements starting or ending)."""
    from openincome.agreements.models import Agreement
    from openincome.ledger.models import Charge

    days = set(Charge.objects.filter(tenancy=tenancy, effective_from__gt=after)
               .values_list("effective_from", flat=True))
    days |= {d + datetime.timedelta(days=1) for d in Charge.objects.filter(
        tenancy=tenancy, effective_to__gte=after).values_list("effective_to", flat=True)}
    days |= set(Agreement.objects.filter(tenancy=tenancy, start_date__gt=after)
                .values_list("start_date", flat=True))
    return sorted(d for d in days if d > after)


def notices_of(mandate) -> QuerySet:
    """The advance notices a mandate's payer was sent, latest first."""
    return mandate.notices.order_by("-sent_on", "-id")


def mandate_by_reference(reference: str):
    """A mandate by its reference (any case), or None."""
    from .models import DirectDebitMandate

    return (DirectDebitMandate.objects.select_related("tenancy")
            .filter(reference=reference.strip().upper()).first())


def direct_debit_failed(tenancy, as_of: datetime.date):
    """The worklist's "DD failed" flag: an open task for a collection returned unpaid."""
    from django.db.models import Exists

    from .models import DirectDebitTask

    return Exists(DirectDebitTask.objects.filter(
        tenancy=tenancy, kind="failed_collection", closed_at__isnull=True, on__lte=as_of))


def account_fingerprints(tenancy_ids: list[int]) -> dict[int, str]:
    """Per tenancy, a hash of its charges and live agreements: it changes exactly when what a
    mandate that follows the account collects could change."""
    import hashlib

    from openincome.agreements.models import Agreement
    from openincome.ledger.models import Charge

    parts: dict[int, list[tuple]] = {pk: [] for pk in tenancy_ids}
    for start in range(0, len(tenancy_ids), 900):
        chunk = tenancy_ids[start:start + 900]
        for row in Charge.objects.filter(tenancy_id__in=chunk).values_list(
                "tenancy_id", "charge_code", "amount", "frequency", "effective_from",
                "effective_to"):
            parts[row[0]].append(("c", *map(str, row[1:])))
        for row in Agreement.objects.filter(tenancy_id__in=chunk, status="live").values_list(
                "tenancy_id", "pk", "instalment", "frequency", "start_date"):
            parts[row[0]].append(("a", *map(str, row[1:])))
    return {pk: hashlib.sha256(repr(sorted(rows)).encode()).hexdigest()
            for pk, rows in parts.items()}
