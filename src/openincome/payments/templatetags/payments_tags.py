"""The account page's payments section (one include in web/account.html)."""

from __future__ import annotations

from django import template

from openincome.common.workdays import business_day_on_or_after
from openincome.payments import queries

register = template.Library()


@register.inclusion_tag("payments/_account_payments_body.html", takes_context=True)
def account_payments(context, tenancy, as_of):
    """Direct Debit mandates and their open tasks, payments received in the year to `as_of` by
    channel, suspense or held events, and the buttons to set up a Direct Debit or take a card
    payment."""
    user = context.get("user")
    return {
        "channels": queries.payments_by_channel(tenancy, as_of),
        "events": list(queries.suspense_events(tenancy)[:10]),
        "as_of": as_of,
        "can_view": bool(user and user.has_perm("payments.view")),
        "can_dd": bool(user and user.has_perm("payments.direct_debit")),
        "can_card": bool(user and user.has_perm("payments.card")),
        "tenancy": tenancy,
        "dd_tasks": list(queries.open_dd_tasks(tenancy)[:5]),
        "mandates": [(m, due, due and business_day_on_or_after(due)) for m, due in (
            (m, queries.next_collection(m, as_of))
            for m in queries.mandates(tenancy).filter(status="live"))],
    }
