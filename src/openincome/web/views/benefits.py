"""The Benefits area (what is due, awaited and followed, with counts on its tabs) and the
benefits work forms on an account. Thin: the forms call `benefits.actions`, the lists come
from `benefits.queries`."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.benefits import queries
from openincome.common.permissions import requires
from openincome.ledger.models import Patch
from openincome.policy.store import params_in_force

from ..dates import parse_as_of
from ..forms_benefits import FORMS
from .account import tenancy_or_404, tenancy_vulnerabilities

TABS = {
    "verifications": "Verifications due",
    "requests": "APA and deductions",
    "first-year": "First-year tracker",
    "dhp": "DHP decisions due",
    "follow-ups": "Claim follow-ups",
}
PAGE_SIZE = 25


def _tenancy_of(item):
    for path in ("claim.tenancy", "request.claim.tenancy", "tenancy"):
        obj = item
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        return obj
    raise AttributeError("no tenancy")


@require_safe
@requires("cases.view_cases")
def area(request):
    """The Benefits area: a tab per list of work, each with its count, for a date and patch."""
    as_of, date_error = parse_as_of(request.GET.get("as_of"))
    policy = params_in_force(as_of)
    weeks = policy.benefit_request_chase_weeks
    patch = request.GET.get("patch", "")
    lists = {
        "verifications": list(queries.open_verifications(as_of)),
        # Chases first, then the longest waiting.
        "requests": sorted(queries.payment_requests(as_of, weeks, open_only=True),
                           key=lambda s: (not s.chase, s.request.requested_date)),
        "first-year": queries.first_year_claims(as_of, policy),
        "dhp": list(queries.dhp_awaiting(as_of)),
        "follow-ups": queries.claim_follow_ups(as_of),
    }
    if patch:
        lists = {k: [i for i in v if _tenancy_of(i).property.patch.code == patch]
                 for k, v in lists.items()}
    tab = request.GET.get("tab", "verifications")
    if tab not in TABS:
        tab = "verifications"
    page = Paginator(lists[tab], PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [{"key": k, "label": label, "count": len(lists[k]), "current": k == tab}
            for k, label in TABS.items()]
    return render(request, "web/benefits/area.html", {
        "nav": "benefits", "as_of": as_of, "date_error": date_error, "tab": tab,
        "tab_label": TABS[tab], "tabs": tabs, "page": page, "rows": page.object_list,
        "patch": patch, "patches": Patch.objects.order_by("code").values_list("code", flat=True),
        "chase_weeks": weeks,
    })


@requires("cases.record")
def work(request, tenancy_ref: str, form: str):
    """One of the benefits work forms on an account (FORMS); saved whole or not at all."""
    tenancy = tenancy_or_404(tenancy_ref)
    form_class = FORMS[form]
    today = timezone.localdate()
    bound = form_class(request.POST or None, tenancy=tenancy)
    if request.method == "POST" and bound.is_valid():
        try:
            bound.act(request.user, as_of=today)
        except ValueError as refused:
            bound.add_error(bound.error_field or None, str(refused))
        else:
            messages.success(request, f"{bound.done} The recommendation below reflects it.")
            return redirect(reverse("account", args=[tenancy.tenancy_ref]) + "#benefits")
    tenants = list(tenancy.tenants.all())
    return render(request, "web/record_form.html", {
        "nav": "worklist", "tenancy": tenancy, "form": bound, "heading": bound.heading,
        "submit": bound.submit, "intro": bound.intro, "tenants": tenants,
        "vulnerabilities": tenancy_vulnerabilities(tenants), "wl_query": "",
    }, status=400 if bound.is_bound and bound.errors else 200)
