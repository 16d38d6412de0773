"""Balances as of a date, computed in the database as the sum of transactions."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from .models import Tenancy, Transaction


def balance(tenancy: Tenancy | int, as_of: datetime.date) -> int:
    """The balance in pence (positive = owed) of one tenancy at the end of as_of."""
    tenancy_id = tenancy if isinstance(tenancy, int) else tenancy.pk
    total = Transaction.objects.filter(tenancy_id=tenancy_id, date__lte=as_of).aggregate(
        total=Coalesce(Sum("amount"), 0)
    )["total"]
    return int(total)


def with_balances(queryset: QuerySet[Tenancy], as_of: datetime.date) -> QuerySet[Tenancy]:
    """Annotate each tenancy with `balance` (pence) at the end of as_of."""
    return queryset.annotate(
        balance=Coalesce(Sum("transactions__amount", filter=Q(transactions__date__lte=as_of)), 0)
    )


@dataclass(frozen=True)
class StatementLine:
    """A transaction with the running balance after it."""

    transaction: Transaction
    running_balance: int


def statement(
    tenancy: Tenancy, as_of: datetime.date, since: datetime.date | None = None
) -> tuple[int, list[StatementLine]]:
    """The opening balance before `since` and each transaction to as_of with a running balance."""
    opening = 0 if since is None else balance(tenancy, since - datetime.timedelta(days=1))
    rows = Transaction.objects.filter(tenancy=tenancy, date__lte=as_of)
    if since is not None:
        rows = rows.filter(date__gte=since)
    running = opening
    lines = []
    for tx in rows.order_by("date", "id"):
        running += tx.amount
        lines.append(StatementLine(tx, running))
    return opening, lines


def statement_rows(tenancy: Tenancy, as_of: datetime.date) -> list[tuple]:
    """statement() as plain (id, date, type, amount, running balance) tuples, from the start.

    For pages that show a few of an account's hundreds of rows: no model row per transaction.
    """
    running, lines = 0, []
    rows = (Transaction.objects.filter(tenancy=tenancy, date__lte=as_of)
            .order_by("date", "id").values_list("id", "date", "type", "amount"))
    for tx_id, date, tx_type, amount in rows:
        running += amount
        lines.append((tx_id, date, tx_type, amount, running))
    return lines
