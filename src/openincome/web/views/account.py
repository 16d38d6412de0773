"""The account page: one tenancy as of a date, with the live recommendation and its reasons."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.benefits.queries import account_work, claim_stories
from openincome.cases.figures import FIGURES
from openincome.cases.models import WorklistRun
from openincome.cases.promises import promise_states
from openincome.cases.queries import next_in_view, pause_is_active, recommendation, worklist
from openincome.cases.tenure import tenure_sentence
from openincome.common.permissions import requires
from openincome.ledger.balances import StatementLine, statement_rows
from openincome.ledger.models import Tenancy, Transaction
from openincome.ledger.vocab import TRANSACTION_TYPES, vulnerability_label
from openincome.policy.store import params_in_force

from ..dates import parse_as_of, uk_date
from ..fields import parse_typed_date
from ..worklist_state import with_page, worklist_state, worklist_url
from .worklist import PAGE_SIZE as LIST_PAGE
from .worklist import filter_from

PAGE_SIZE = 50


def tenancy_or_404(tenancy_ref: str) -> Tenancy:
    """The tenancy with its property and patch, or a 404 page."""
    return get_object_or_404(
        Tenancy.objects.select_related("property", "property__patch"), tenancy_ref=tenancy_ref
    )


def _parse_date(value: str | None) -> datetime.date | None:
    return parse_typed_date(value) if value else None


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
    for point in points:  # the chart's axis reads the UK way, like the table beneath it
        point["label"] = uk_date(point["date"])
    return points


def tenancy_vulnerabilities(tenants) -> list[str]:
    """The tenants' vulnerabilities in words (each once; "other" as its note)."""
    said = []
    for tenant in tenants:
        for code in tenant.vulnerability_codes:
            text = vulnerability_label(code)
            if code == "other" and tenant.vulnerability_note:
                text = f"other: {tenant.vulnerability_note}"
            if text not in said:
                said.append(text)
    return said


def _next_case(request, tenancy: Tenancy, state: str) -> dict:
    """The case after this one in the worklist view the officer came from ({} at its end)."""
    params = QueryDict(state)
    as_of, error = parse_as_of(params.get("as_of"))
    run = WorklistRun.objects.filter(as_of=as_of).first()
    if run is None or error:
        return {}
    flt, _ = filter_from(params, request.user, as_of)
    at = request.GET.get("at", "")
    found = next_in_view(worklist(run, flt), tenancy.pk, int(at) if at.isdigit() else None)
    if found is None:
        return {}
    tenancy_id, index = found
    ref = Tenancy.objects.values_list("tenancy_ref", flat=True).get(pk=tenancy_id)
    page_state = with_page(state, index // LIST_PAGE + 1)
    return {"ref": ref, "url": reverse("account", args=[ref]) + "?" + urlencode(
        {"as_of": as_of.isoformat(), "wl": page_state, "at": index})}


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
    vulnerabilities = tenancy_vulnerabilities(tenants)
    vulnerable = bool(vulnerabilities)
    if not request.user.has_perm("cases.view_vulnerability"):
        vulnerabilities = []  # the flag only (see staff/rules.py)
    policy = params_in_force(as_of)
    state = worklist_state(request.GET.get("wl", ""))
    pauses = list(tenancy.pauses.order_by("-start_date"))
    today = timezone.localdate()
    for pause in pauses:
        # Lifting acts on today's recommendation, so it is offered for pauses active today.
        pause.liftable = pause_is_active(pause, today)
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
        "pauses": pauses, "figures": FIGURES,
        "wl": state, "wl_query": urlencode({"wl": state, "at": request.GET.get("at", "")})
        if state else "", "back_url": worklist_url(state),
        "next_case": _next_case(request, tenancy, state) if "wl" in request.GET else None,
        "claims": claim_stories(tenancy, as_of),
        "benefit_work": account_work(tenancy, as_of, policy),
        "can_see_fraud": request.user.has_perm("benefits.view_fraud_detail"),
        "vulnerabilities": vulnerabilities, "vulnerable": vulnerable,
        "tx_types": TRANSACTION_TYPES,
        "tx_filter": {"from": request.GET.get("from", ""), "to": request.GET.get("to", ""),
                      "type": tx_type},
        "can_record": request.user.has_perm("cases.record"),
    })
