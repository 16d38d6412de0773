"""Delivery: the provider's status callback, the failed deliveries an officer deals with, and
the recording notifier's outbox."""

from __future__ import annotations

import hmac
import json
import os

import rules
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from openincome.common.permissions import requires
from openincome.letters import actions, queries
from openincome.letters.forms import CloseTaskForm
from openincome.letters.models import Communication, OutboxItem
from openincome.letters.rules import DeliveryService
from openincome.staff.queries import officer_patches


def _caller(request):
    """The delivery service when the request carries the callback's bearer token, else the
    request's user (who holds no delivery permission)."""
    expected = os.environ.get("OPENINCOME_NOTIFY_CALLBACK_TOKEN", "").strip()
    given = request.headers.get("Authorization", "")
    if expected and given.startswith("Bearer ") and hmac.compare_digest(
            given[7:].strip().encode(), expected.encode()):
        return DeliveryService()
    return request.user


# The one CSRF-exempt view: GOV.UK Notify calls it with a bearer token, not from a form.
@csrf_exempt
@require_POST
def notify_callback(request):
    """GOV.UK Notify's delivery receipt: update the communication's status."""
    if not rules.has_perm("letters.report_delivery", _caller(request)):
        return HttpResponse("Forbidden", status=403, content_type="text/plain")
    try:
        data = json.loads(request.body or b"{}")
        status, provider_id = str(data["status"]), str(data.get("id", ""))
        reference = str(data.get("reference") or "")
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected JSON with id, reference and status"},
                            status=400)
    try:
        item = actions.record_delivery_status(provider_id=provider_id, reference=reference,
                                              status=status, as_of=timezone.localdate())
    except ValueError as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    if item is None:
        return JsonResponse({"error": "no such notification"}, status=404)
    return JsonResponse({"status": item.status})


@requires("letters.send")
def failures(request):
    """Letters and messages that were not delivered, until an officer deals with each."""
    form = CloseTaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        item = get_object_or_404(Communication, reference=form.cleaned_data["reference"])
        try:
            actions.close_failure_task(item, request.user, note=form.cleaned_data["note"],
                                       as_of=timezone.localdate())
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Marked as dealt with: {item.tenancy.tenancy_ref}.")
        return redirect(request.get_full_path())
    # The officer's own patches first; "every patch" on asking (and for those without any).
    patches = officer_patches(request.user)
    everyone = request.GET.get("patches") == "all" or not patches
    rows = queries.open_failures()
    if not everyone:
        rows = rows.filter(tenancy__property__patch__code__in=patches)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "letters/failures.html", {
        "nav": "failures", "items": list(page), "page": page, "form": form,
        "patches": patches, "everyone": everyone,
    }, status=400 if form.is_bound and form.errors else 200)


@require_safe
@requires("letters.view_outbox")
def outbox(request):
    """What the recording notifier was asked to send (nothing leaves in the demo)."""
    item_id = request.GET.get("pdf", "")
    if item_id.isdigit():
        item = get_object_or_404(OutboxItem, pk=int(item_id), channel="letter")
        response = HttpResponse(bytes(item.pdf), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{item.reference}.pdf"'
        return response
    from django.db.models import OuterRef, Subquery

    # Each kept item's communication (by its reference): the tenancy, template and status.
    sent = Communication.objects.filter(reference=OuterRef("reference"))
    rows = OutboxItem.objects.defer("pdf").annotate(
        tenancy_ref=Subquery(sent.values("tenancy__tenancy_ref")[:1]),
        template_code=Subquery(sent.values("version__template__code")[:1]),
        template_name=Subquery(sent.values("version__template__name")[:1]),
        status=Subquery(sent.values("status")[:1]))
    chosen = {k: request.GET.get(k, "") for k in ("channel", "template", "status", "sort")}
    if chosen["channel"]:
        rows = rows.filter(channel=chosen["channel"])
    if chosen["template"]:
        rows = rows.filter(template_code=chosen["template"])
    if chosen["status"]:
        rows = rows.filter(status=chosen["status"])
    order = {"oldest": ["created_at", "id"], "tenancy": ["tenancy_ref", "-id"]}
    rows = rows.order_by(*order.get(chosen["sort"], ["-created_at", "-id"]))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    templates = sorted({(t.code, t.name.removesuffix(" (letter)"))
                        for t in queries.letter_templates()}, key=lambda p: p[1])
    statuses = sorted(set(Communication.objects.values_list("status", flat=True)))
    return render(request, "letters/outbox.html", {
        "nav": "admin", "page": page, "chosen": chosen, "templates": templates,
        "statuses": statuses, "channels": ["letter", "email", "sms"]})
