"""The tenancy list: every tenancy with its balance; search, filter, sort and page."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from openincome.common.permissions import requires
from openincome.ledger.balances import with_balances
from openincome.ledger.models import Patch, Tenancy

from ..dates import parse_as_of

SORTS = {
    "ref": "tenancy_ref",
    "-ref": "-tenancy_ref",
    "balance": "balance",
    "-balance": "-balance",
    "postcode": "property__postcode",
    "-postcode": "-property__postcode",
}
PAGE_SIZE = 50


@require_safe
@requires("cases.view_cases")
def home(request):
    """The landing page."""
    return redirect("worklist")


@require_safe
@requires("cases.view_cases")
def tenancy_list(request):
    """Every tenancy with its balance as of a date; search, filter by patch, sort and page."""
    as_of, date_error = parse_as_of(request.GET.get("as_of"))
    q = request.GET.get("q", "").strip()
    patch = request.GET.get("patch", "")
    sort = request.GET.get("sort", "-balance")
    if sort not in SORTS:
        sort = "-balance"
    tenancies = Tenancy.objects.select_related("property", "property__patch")
    if q:
        tenancies = tenancies.filter(
            Q(tenancy_ref__icontains=q)
            | Q(payment_reference__icontains=q)
            | Q(property__postcode__icontains=q)
            | Q(property__address_line_1__icontains=q)
            | Q(tenants__last_name__icontains=q)
        ).distinct()
    if patch:
        tenancies = tenancies.filter(property__patch__code=patch)
    tenancies = with_balances(tenancies, as_of).order_by(SORTS[sort], "tenancy_ref")
    page = Paginator(tenancies, PAGE_SIZE).get_page(request.GET.get("page"))
    lead_names = {}
    for t in page.object_list:
        tenants = list(t.tenants.all())
        lead_names[t.pk] = next((x.full_name for x in tenants if x.is_lead), "") or (
            tenants[0].full_name if tenants else ""
        )
    rows = [(t, lead_names[t.pk]) for t in page.object_list]
    return render(
        request,
        "web/tenancy_list.html",
        {
            "nav": "tenancies",
            "page": page,
            "rows": rows,
            "as_of": as_of,
            "date_error": date_error,
            "q": q,
            "patch": patch,
            "patches": Patch.objects.values_list("code", flat=True),
            "sort": sort,
        },
    )
