"""Every read the payments pages and commands need."""

from __future__ import annotations

import datetime

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


def next_collection(mandate, as_of: datetime.date) -> datetime.date | None:
    """The first collection day on or after `as_of` (not moved for bank holidays), or None
    for a cancelled mandate."""
    if mandate.status != "live":
        return None
    first = max(as_of, mandate.start_date)
    if mandate.frequency == "monthly":
        year, month = first.year, first.month
        if first.day > mandate.day:
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return datetime.date(year, month, mandate.day)
    step = {"weekly": 1, "fortnightly": 2, "four_weekly": 4}[mandate.frequency]
    # The cycle counts in weeks from the first collection on the mandate's weekday.
    anchor = mandate.start_date + datetime.timedelta(
        days=(mandate.day - mandate.start_date.weekday()) % 7)
    if first <= anchor:
        return anchor
    weeks = -(-(first - anchor).days // 7)
    weeks += (-weeks) % step
    return anchor + datetime.timedelta(weeks=weeks)
