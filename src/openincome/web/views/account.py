"""The account page: one tenancy as of a date, with the live recommendation and its reasons."""

from __future__ import annotations

import datetime

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from openincome.cases.labels import action_label
from openincome.cases.nightly import classify_as_of, stored_row
from openincome.cases.promises import promise_states
from openincome.cases.tenure import tenure_sentence
from openincome.engine.reasons import explain
from openincome.ledger.balances import StatementLine, statement_rows
from openincome.ledger.models import Tenancy, Transaction
from openincome.ledger.vocab import TRANSACTION_TYPES
from openincome.policy.store import params_in_force

from ..dates import parse_as_of
from ..permissions import requires

PAGE_SIZE = 50


def tenancy_or_404(tenancy_ref: str) -> Tenancy:
    """The tenancy with its property and patch, or a 404 page."""
    return get_object_or_404(
        Tenancy.objects.select_related("property", "property__patch"), tenancy_ref=tenancy_ref
    )


def recommendation(tenancy: Tenancy, as_of: datetime.date) -> dict:
    """The engine's row for this tenancy as of a date, with labels and sentences.

    The stored worklist row when nothing it depends on has changed since it was made (the
    common case: the nightly run, or the re-run after an officer's last action); otherwise
    the engine classifies the tenancy now.
    """
    row = stored_row(tenancy, as_of)
    if row is not None:
        row["blocks"] = row.pop("block_explanations")
    else:
        row = classify_as_of(as_of, [tenancy.pk]).row(0, named=True)
        policy = params_in_force(as_of)
        row["explanations"] = [explain(code, row, policy) for code in row["reasons"] or []]
        row["blocks"] = [explain(code, row, policy) for code in row["blocked_by"] or []]
    row["action_label"] = action_label(row["action"])
    return row


def _parse_date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _chart_points(lines: list[tuple], as_of: datetime.date) -> list[dict]:
    """End-of-period balances over the last year, for the chart and its table.

    `lines` are (id, date, type, amount, running balance) in date order.
    """
    start = as_of - datetime.timedelta(days=364)
    points, index, running = [], 0, 0
    day = start
    while index < len(lines) and lines[index][1] < start:
        running = lines[index][4]
        index += 1
    while day <= as_of:
        while index < len(lines) and lines[index][1] <= day:
            running = lines[index][4]
            index += 1
        points.append({"date": day.isoformat(), "balance": running})
        day += datetime.timedelta(days=28)
    if points[-1]["date"] != as_of.isoformat():
        points.append({"date": as_of.isoformat(), "balance": lines[-1][4] if lines else 0})
    return points


@require_safe
@requires("cases.view_cases")
def account(request, tenancy_ref: str):
    """One rent account as of a date."""
    as_of, date_error = parse_as_of(request.GET.get("as_of"))
    tenancy = tenancy_or_404(tenancy_ref)
    rec = recommendation(tenancy, as_of)
    lines = statement_rows(tenancy, as_of)
    tx_from = _parse_date(request.GET.get("from"))
    tx_to = _parse_date(request.GET.get("to"))
    tx_type = request.GET.get("type", "")
    shown = [
        line for line in lines
        if (tx_from is None or line[1] >= tx_from)
        and (tx_to is None or line[1] <= tx_to)
        and (not tx_type or line[2] == tx_type)
    ]
    page = Paginator(list(reversed(shown)), PAGE_SIZE).get_page(request.GET.get("page"))
    # Only the page's transactions as model rows (for their labels and descriptions).
    on_page = Transaction.objects.in_bulk([line[0] for line in page.object_list])
    page.object_list = [StatementLine(on_page[line[0]], line[4]) for line in page.object_list]
    tenants = list(tenancy.tenants.all())
    vulnerabilities = sorted({c for t in tenants for c in t.vulnerability_codes})
    vulnerable = bool(vulnerabilities)
    if not request.user.has_perm("cases.view_vulnerability"):
        vulnerabilities = []  # the flag only (see cases/rules.py)
    policy = params_in_force(as_of)
    return render(request, "web/account.html", {
        "tenure": tenure_sentence(tenancy, as_of, policy),
        "trial": tenancy.tenure in policy.trial_conversions,
        "promises": promise_states(tenancy, as_of, policy),
        "nav": "worklist", "tenancy": tenancy, "tenants": tenants, "as_of": as_of,
        "date_error": date_error, "rec": rec, "page": page, "chart": _chart_points(lines, as_of),
        "charges": tenancy.charges.order_by("-effective_from"),
        "contacts": tenancy.contacts.select_related("officer")[:50],
        "actions": tenancy.actions.order_by("-date", "-id")[:50],
        "notices": tenancy.notices.order_by("-served_date"),
        "court_cases": tenancy.court_cases.order_by("-claim_date"),
        "agreements": tenancy.agreements.order_by("-start_date"),
        "pauses": tenancy.pauses.order_by("-start_date"),
        "benefits": tenancy.benefit_claims.order_by("-status_date"),
        "vulnerabilities": vulnerabilities, "vulnerable": vulnerable,
        "tx_types": TRANSACTION_TYPES,
        "tx_filter": {"from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
                      "type": tx_type},
        "can_record": request.user.has_perm("cases.record"),
    })
