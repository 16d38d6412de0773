"""The account page's agreement section, as an inclusion tag (so the account view needs no
change): the live plan's state, terms, progress, payments and past agreements."""

from django import template
from django.utils import timezone

from openincome.agreements.queries import (
    EngineViews,
    agreements_of,
    draft_statement,
    monitoring,
    progress,
    referrals_of,
    statements_of,
    terms,
)
from openincome.agreements.sfs import totals
from openincome.web.dates import uk_date

register = template.Library()


@register.inclusion_tag("web/agreements/_account_section.html", takes_context=True)
def agreement_section(context, tenancy, as_of, rec):
    """Everything the account page shows about agreements and income and expenditure."""
    agreements = list(agreements_of(tenancy))
    live = next((a for a in agreements if a.status == "live"), None)
    extra = {}
    if live is not None:
        views = EngineViews(tenancy)  # the state, chart and breach date share engine calls
        state = monitoring(live, as_of, views(as_of))
        done = progress(live, as_of, views=views)
        for point in done.points:
            point["label"] = uk_date(point["date"])
        extra = {"live": live, "state": state, "progress": done,
                 "terms": terms(live, int(rec.get("weekly_charge") or 0))}
    statements = [(s, totals(s.amounts)) for s in statements_of(tenancy)[:10]]
    return {"tenancy": tenancy, "agreements": agreements, "statements": statements,
            "draft": draft_statement(tenancy), "referrals": list(referrals_of(tenancy)[:20]),
            "can_record": context.get("can_record"),
            "wl_query": context.get("wl_query"), "today": timezone.localdate(), **extra}
