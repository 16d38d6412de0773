"""Finding a tenancy by name, reference, payment reference, address or postcode, as you type."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_safe

from openincome.ledger.models import Tenancy

from ..permissions import requires

LIMIT = 25


def find_tenancies(query: str, limit: int = LIMIT) -> list[Tenancy]:
    """Tenancies where every word of the query matches a name, reference, address or postcode."""
    words = query.split()[:6]
    if not words or len(query.strip()) < 2:
        return []
    tenancies = Tenancy.objects.select_related("property")
    for word in words:
        tenancies = tenancies.filter(
            Q(tenancy_ref__icontains=word)
            | Q(payment_reference__icontains=word)
            | Q(property__postcode__icontains=word)
            | Q(property__postcode__icontains=query.strip())
            | Q(property__address_line_1__icontains=word)
            | Q(property__town__icontains=word)
            | Q(tenants__first_name__icontains=word)
            | Q(tenants__last_name__icontains=word)
        )
    found = list(tenancies.distinct().order_by("tenancy_ref")[:limit])
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
