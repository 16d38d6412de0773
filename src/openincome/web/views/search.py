"""Finding a tenancy by name, reference, payment reference, address, postcode, phone or email,
as you type."""

from __future__ import annotations

from django.db.models import F, Q, Value
from django.db.models.functions import Replace
from django.shortcuts import render
from django.views.decorators.http import require_safe

from openincome.ledger.models import Tenancy, Tenant

from ..permissions import requires

LIMIT = 25


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


def find_tenancies(query: str, limit: int = LIMIT) -> list[Tenancy]:
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


@require_safe
@requires("cases.view_cases")
def search(request):
    """The search page; htmx asks for the results part only while the officer types."""
    query = request.GET.get("q", "").strip()[:100]
    results = find_tenancies(query)
    template = "web/_search_results.html" if request.htmx else "web/search.html"
    return render(request, template, {"nav": "search", "q": query, "results": results,
                                      "limit": LIMIT})
