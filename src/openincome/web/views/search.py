"""Finding a tenancy by name, reference, payment reference, address, postcode, phone or email,
as you type."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_safe

from openincome.cases.queries import SEARCH_LIMIT, find_tenancies
from openincome.common.permissions import requires


@require_safe
@requires("cases.view_cases")
def search(request):
    """The search page; htmx asks for the results part only while the officer types."""
    query = request.GET.get("q", "").strip()[:100]
    results = find_tenancies(query)
    template = "web/_search_results.html" if request.htmx else "web/search.html"
    return render(request, template, {"nav": "search", "q": query, "results": results,
                                      "limit": SEARCH_LIMIT})
