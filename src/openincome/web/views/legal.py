"""The legal steps before court and after an order: the pre-action checklist, the
proportionality assessment, approvals (request, queue, decision), and recording a claim and a
warrant application. Thin: each page calls one legal action, whose gates bind it exactly as
they bind the command line; a page shows what a step still needs before the officer asks."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from openincome.common.permissions import requires
from openincome.ledger.pence import pounds
from openincome.legal import actions, gates
from openincome.legal.models import APPROVAL_STATUSES, ESCALATION_CHOICES, Approval
from openincome.legal.protocol import STEPS, evidence_for
from openincome.legal.queries import (
    QUEUE_SORTS,
    approval_counts,
    approval_queue,
    approval_use,
    protocol_records,
)

from ..forms_legal import (
    ApprovalRequestForm,
    AssessmentForm,
    ChecklistForm,
    ClaimForm,
    DecisionForm,
    WarrantForm,
)
from .account import tenancy_or_404

ESCALATION_LABELS = dict(ESCALATION_CHOICES)
STATUS_LABELS = dict(APPROVAL_STATUSES)


def _sentence(exc: Exception) -> str:
    """A refusal as a sentence: its first letter upper case, the rest as written (DWP, UC)."""
    text = str(exc)
    return text[:1].upper() + text[1:]


def _page(request, template: str, tenancy, form, **extra):
    return render(request, f"web/legal/{template}", {
        "nav": "worklist", "tenancy": tenancy, "form": form, **extra,
    }, status=400 if form.is_bound and form.errors else 200)


def _done(request, tenancy, message: str):
    messages.success(request, message)
    return redirect(reverse("account", args=[tenancy.tenancy_ref]))


@requires("legal.protocol")
@require_http_methods(["GET", "HEAD", "POST"])
def checklist(request, tenancy_ref: str):
    """The pre-action protocol checklist: each step's evidence on the account, or a note."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    evidence = evidence_for(tenancy, today)
    form = ChecklistForm(request.POST or None, evidence=evidence, initial={"completed": today})
    if request.method == "POST" and form.is_valid():
        try:
            actions.complete_checklist(tenancy, request.user,
                                       completed=form.cleaned_data["completed"],
                                       notes=form.notes(), as_of=today)
        except actions.LegalError as exc:
            form.add_error(None, _sentence(exc))
        else:
            return _done(request, tenancy, "Pre-action checklist completed.")
    steps = [(form[f"note_{step}"], evidence[step]) for step in STEPS]
    notice = gates.latest_notice(tenancy, today)
    if notice is not None and gates.notice_window(notice)[1] < today:
        notice = None  # expired: the next step is a new notice
    return _page(request, "checklist.html", tenancy, form, steps=steps,
                 records=protocol_records(tenancy), notice=notice)


@requires("legal.protocol")
@require_http_methods(["GET", "HEAD", "POST"])
def assessment(request, tenancy_ref: str):
    """A proportionality and equality (PSED) assessment before an escalation."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    form = AssessmentForm(request.POST or None, initial={
        "assessed": today, "escalation": request.GET.get("step", "")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_assessment(tenancy, request.user, as_of=today, **form.cleaned_data)
        except actions.LegalError as exc:
            form.add_error(None, _sentence(exc))
        else:
            return _done(request, tenancy, "Proportionality assessment recorded.")
    return _page(request, "assessment.html", tenancy, form,
                 records=protocol_records(tenancy))


@requires("legal.protocol")
@require_http_methods(["GET", "HEAD", "POST"])
def request_approval(request, tenancy_ref: str):
    """Ask a team leader or manager to approve serving a notice, a claim or a warrant."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    form = ApprovalRequestForm(request.POST or None,
                               initial={"escalation": request.GET.get("step", "")})
    if request.method == "POST" and form.is_valid():
        try:
            actions.request_approval(tenancy, request.user, as_of=today, **form.cleaned_data)
        except actions.LegalError as exc:
            form.add_error("escalation", _sentence(exc))
        else:
            return _done(request, tenancy, "Approval requested. A team leader or manager will "
                         "decide.")
    needs = [(label, gates.needs(tenancy, step, today)) for step, label in ESCALATION_CHOICES]
    return _page(request, "request.html", tenancy, form, needs=needs,
                 records=protocol_records(tenancy))


QUEUE_PAGE = 25


@requires("legal.protocol")
@require_safe
def approvals(request):
    """The approvals queue: counts by status, and the requests filtered, sorted and paged."""
    status = request.GET.get("status", "pending")
    if status not in STATUS_LABELS and status != "all":
        status = "pending"
    step = request.GET.get("step", "")
    sort = request.GET.get("sort", "requested")
    descending = request.GET.get("dir") == "desc"
    if sort not in QUEUE_SORTS:
        sort = "requested"
    counts = approval_counts()
    rows = approval_queue(status=status, step=step if step in ESCALATION_LABELS else "",
                          sort=sort, descending=descending)
    page = Paginator(rows, QUEUE_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/legal/approvals.html", {
        "nav": "approvals", "page": page, "status": status, "step": step,
        "statuses": [(code, label, counts.get(code, 0)) for code, label in APPROVAL_STATUSES],
        "steps": ESCALATION_CHOICES, "flt": {"sort": sort, "descending": descending},
        "labels": ESCALATION_LABELS, "status_labels": STATUS_LABELS,
        "may_decide": request.user.has_perm("legal.decide_approval"),
    })


@requires("legal.protocol")
@require_http_methods(["GET", "HEAD", "POST"])
def approval(request, approval_id: int):
    """One request: the case for it (checklist, assessment) and, for a team leader or
    manager who did not ask, the decision."""
    item = (Approval.objects.select_related("tenancy", "tenancy__property", "requested_by",
                                            "decided_by").filter(pk=approval_id).first())
    if item is None:
        raise Http404("No such approval request")
    may_decide = request.user.has_perm("legal.decide_approval")
    if request.method == "POST" and not may_decide:
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.decide_approval(item, request.user,
                                    approve=form.cleaned_data["decision"] == "approve",
                                    reason=form.cleaned_data["reason"],
                                    as_of=timezone.localdate())
        except actions.LegalError as exc:
            form.add_error("decision", _sentence(exc))
        else:
            messages.success(request, "Decision recorded.")
            return redirect(reverse("approvals"))
    today = timezone.localdate()
    may, limit = actions.approval_limit(request.user, item.escalation, today)
    if not may:
        authority = "Your role may not approve this step."
    elif limit is None:
        authority = "You may approve this step whatever the arrears."
    else:
        authority = f"You may approve this step up to {pounds(limit)} of arrears."
    return render(request, "web/legal/approval.html", {
        "authority": authority, "over_limit": may and limit is not None
        and item.arrears > limit,
        "nav": "approvals", "item": item, "tenancy": item.tenancy, "form": form,
        "label": ESCALATION_LABELS[item.escalation],
        "heading": f"Approval to {ESCALATION_LABELS[item.escalation][0].lower()}"
                   f"{ESCALATION_LABELS[item.escalation][1:]}",
        "status_label": STATUS_LABELS[item.status], "used": approval_use(item),
        "may_decide": may_decide and item.status == "pending"
        and item.requested_by_id != request.user.pk,
        "own": item.requested_by_id == request.user.pk,
        "assessment": gates.assessment_for(item.tenancy, item.escalation, today),
        # Before a claim, the checklist that counts is one made since the notice.
        "checklist": gates.checklist_for(
            item.tenancy, today, gates.notice_for_claim(item.tenancy, today)
            if item.escalation == "apply_for_court" else None),
    }, status=400 if form.is_bound and form.errors else 200)


def _escalate(request, tenancy_ref: str, *, escalation: str, form_class, initial: dict,
              template: str, do, done: str):
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    form = form_class(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do(tenancy, form.cleaned_data, today)
        except actions.GateRefused as refused:
            form.add_error(None, str(refused))
        except actions.LegalError as exc:
            form.add_error(None, _sentence(exc))
        else:
            return _done(request, tenancy, done)
    imported = None
    if escalation == "apply_for_court" and gates.checklist_for(
            tenancy, today, notice := gates.notice_for_claim(tenancy, today)) is None:
        imported = gates.imported_checklist_for(tenancy, today, notice)
    return _page(request, template, tenancy, form, needs=gates.needs(tenancy, escalation, today),
                 case=gates.latest_case(tenancy), imported_checklist=imported)


@requires("legal.protocol")
@require_http_methods(["GET", "HEAD", "POST"])
def claim(request, tenancy_ref: str):
    """Record a possession claim issued (its gates shown first, and checked again)."""
    def do(tenancy, data, today):
        actions.apply_for_court(tenancy, request.user, as_of=today, **data)

    return _escalate(request, tenancy_ref, escalation="apply_for_court", form_class=ClaimForm,
                     initial={"claim_date": timezone.localdate()}, template="claim.html",
                     do=do, done="Possession claim recorded.")


@requires("legal.protocol")
@require_http_methods(["GET", "HEAD", "POST"])
def warrant(request, tenancy_ref: str):
    """Record a warrant of possession applied for (its gates shown first, and checked again)."""
    def do(tenancy, data, today):
        actions.apply_for_warrant(tenancy, request.user, as_of=today, **data)

    return _escalate(request, tenancy_ref, escalation="apply_for_warrant",
                     form_class=WarrantForm, initial={"applied": timezone.localdate()},
                     template="warrant.html", do=do, done="Warrant application recorded.")
