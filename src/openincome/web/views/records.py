"""Recording what happened on an account: contacts, actions, pauses, benefits, details.

Each view validates the whole form first (nothing saved on error), then calls one function in
`cases.actions`, which writes, audits and reclassifies the tenancy in one transaction.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from openincome.benefits import actions as benefit_actions
from openincome.cases import actions
from openincome.cases.models import Pause
from openincome.cases.queries import pause_is_active
from openincome.common.permissions import requires
from openincome.ledger.pence import decimal_pounds
from openincome.ledger.vocab import VULNERABILITIES
from openincome.policy.store import params_in_force

from ..forms import (
    ActionForm,
    BenefitForm,
    ContactForm,
    DetailsForm,
    LiftPauseForm,
    PauseForm,
    PromiseForm,
    TrialEndForm,
)
from ..worklist_state import worklist_state
from .account import tenancy_or_404, tenancy_vulnerabilities


def _page(request, tenancy, form, heading, submit, intro="", **extra):
    tenants = list(tenancy.tenants.all())
    return render(request, "web/record_form.html", {
        "nav": "worklist", "tenancy": tenancy, "form": form, "heading": heading,
        "submit": submit, "intro": intro, "vulnerabilities": tenancy_vulnerabilities(tenants),
        "tenants": tenants, "wl_query": _back_query(request), **extra,
    }, status=400 if form.is_bound and form.errors else 200)


def _wl_query(request) -> str:
    """The worklist view the officer came from, for the links back to the account."""
    state = worklist_state(request.GET.get("wl", ""))
    return urlencode({"wl": state}) if state else ""


def _done(request, tenancy, message: str):
    # The account page shows the new recommendation: the action reclassified the tenancy.
    messages.success(request, f"{message} The recommendation below reflects it.")
    query = _back_query(request)
    return redirect(reverse("account", args=[tenancy.tenancy_ref]) + ("?" + query if query
                                                                      else ""))


def _back_query(request) -> str:
    """The account page's query keeping the worklist view and the case's place in it."""
    return "&".join(q for q in (_wl_query(request), _at_query(request)) if q)


def _at_query(request) -> str:
    """Where the case was in the worklist view (for "Next case" after recording)."""
    at = request.GET.get("at", "")
    return urlencode({"at": at}) if at.isdigit() else ""


@requires("cases.record")
def record_contact(request, tenancy_ref: str):
    """Log a contact with the tenant."""
    tenancy = tenancy_or_404(tenancy_ref)
    form = ContactForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.record_contact(tenancy, request.user, as_of=timezone.localdate(),
                               **form.cleaned_data)
        if form.cleaned_data["outcome"] == "promised_to_pay":
            messages.success(request, "Contact recorded. Now record what the tenant promised.")
            return redirect("record-promise", tenancy_ref=tenancy.tenancy_ref)
        return _done(request, tenancy, "Contact recorded.")
    return _page(request, tenancy, form, "Record a contact", "Save contact", show_contacts=True)


@requires("cases.record")
def record_action(request, tenancy_ref: str):
    """Record a ladder action (letter sent, checklist completed, ...)."""
    tenancy = tenancy_or_404(tenancy_ref)
    form = ActionForm(request.POST or None, initial={"date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_action(tenancy, request.user, as_of=timezone.localdate(),
                                  **form.cleaned_data)
        except ValueError as exc:
            form.add_error("code", str(exc).capitalize())
        else:
            return _done(request, tenancy, "Action recorded.")
    return _page(request, tenancy, form, "Record an action", "Save action")


@requires("cases.record")
def pause_case(request, tenancy_ref: str):
    """Pause recovery action, or record a Breathing Space."""
    tenancy = tenancy_or_404(tenancy_ref)
    form = PauseForm(request.POST or None, initial={"start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.pause_case(tenancy, request.user, reason=data["reason"],
                               start=data["start_date"], end=data["end_date"], note=data["note"],
                               as_of=timezone.localdate())
        except ValueError as exc:
            form.add_error("start_date", str(exc).capitalize())
        else:
            return _done(request, tenancy, "Case paused.")
    return _page(request, tenancy, form, "Pause the case", "Pause the case",
                 "While a Breathing Space runs, no letter or action about the debt is proposed.")


@requires("cases.record")
def update_benefit(request, tenancy_ref: str):
    """Create or update a benefit claim's status."""
    tenancy = tenancy_or_404(tenancy_ref)
    latest = tenancy.benefit_claims.order_by("-status_date").first()
    initial = {"status_date": timezone.localdate()}
    if latest:
        initial.update(benefit=latest.benefit, claim_ref=latest.claim_ref, status=latest.status,
                       direct_to_landlord={True: "true", False: "false"}.get(
                           latest.direct_to_landlord, ""),
                       expected_amount="" if latest.expected_amount is None
                       else decimal_pounds(latest.expected_amount),
                       frequency=latest.frequency)
    form = BenefitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            benefit_actions.update_benefit(tenancy, request.user, as_of=timezone.localdate(),
                                   **form.cleaned_data)
        except benefit_actions.ClaimElsewhere as refused:
            form.add_error("claim_ref", str(refused))
        else:
            return _done(request, tenancy, "Benefit claim updated.")
    return _page(request, tenancy, form, "Update benefits", "Save benefit claim")


@requires("cases.record")
def edit_details(request, tenancy_ref: str):
    """Edit the lead tenant's contact details, language and vulnerability codes."""
    tenancy = tenancy_or_404(tenancy_ref)
    tenant = tenancy.tenants.order_by("-is_lead", "person_ref").first()
    if tenant is None:
        messages.error(request, "This tenancy has no tenant recorded to edit.")
        return redirect("account", tenancy_ref=tenancy.tenancy_ref)
    initial = {k: getattr(tenant, k) for k in ("email", "mobile", "phone", "language",
                                              "vulnerability_note")}
    initial["vulnerabilities"] = tenant.vulnerability_codes
    initial["preferred_channel"] = tenancy.preferred_channel
    form = DetailsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        # Codes from the landlord's own system that the form does not list are kept.
        kept = [c for c in tenant.vulnerability_codes if c not in VULNERABILITIES]
        data["vulnerabilities"] = ";".join([*data["vulnerabilities"], *kept])
        why = data.pop("why")
        channel = data.pop("preferred_channel")
        actions.update_tenant_details(tenant, request.user, changes=data,
                                      preferred_channel=channel, why=why,
                                      as_of=timezone.localdate())
        return _done(request, tenancy, "Contact details saved.")
    return _page(request, tenancy, form, f"Edit details of {tenant.full_name}", "Save details")


@requires("cases.record")
def lift_pause(request, tenancy_ref: str, pause_id: int):
    """End an active pause early, with the reason (recovery resumes today)."""
    tenancy = tenancy_or_404(tenancy_ref)
    pause = get_object_or_404(Pause, pk=pause_id, tenancy=tenancy)
    today = timezone.localdate()
    if not pause_is_active(pause, today):
        messages.error(request, "That pause is not active today, so there is nothing to lift.")
        return redirect("account", tenancy_ref=tenancy.tenancy_ref)
    form = LiftPauseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            # The pause's last day is yesterday: today's recommendation is made without it.
            actions.lift_pause(pause, request.user, on=today - datetime.timedelta(days=1),
                               why=form.cleaned_data["why"], as_of=today)
        except ValueError as exc:
            form.add_error("why", str(exc).capitalize())
        else:
            return _done(request, tenancy, "Pause lifted.")
    return _page(request, tenancy, form, "Lift the pause early", "Lift the pause",
                 f"{pause.get_reason_display()} from {pause.start_date:%-d %B %Y}"
                 + (f" until {pause.end_date:%-d %B %Y}" if pause.end_date else "")
                 + ". Lifting it lets recovery resume today: the case is classified again.")


@requires("cases.record")
def record_promise(request, tenancy_ref: str):
    """Record a promise to pay: it holds the ladder until two days after it is due."""
    tenancy = tenancy_or_404(tenancy_ref)
    form = PromiseForm(request.POST or None, initial={"made_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        actions.record_promise(tenancy, request.user, as_of=timezone.localdate(),
                               **form.cleaned_data)
        return _done(request, tenancy, "Promise recorded.")
    grace = params_in_force(timezone.localdate()).promise_grace_days
    intro = ("While a promise is pending (until {} after it is due) no further step is "
             "proposed; if it is not paid, the ladder carries on.".format(
                 "the day" if not grace else f"{grace} day{'s' if grace != 1 else ''}"))
    return _page(request, tenancy, form, "Record a promise to pay", "Save promise", intro)


@requires("cases.record")
def edit_trial_end(request, tenancy_ref: str):
    """Change when an introductory or starter tenancy's trial ends."""
    tenancy = tenancy_or_404(tenancy_ref)
    policy = params_in_force(timezone.localdate())
    if tenancy.tenure not in policy.trial_conversions:
        messages.info(request, "Only introductory and starter tenancies have a trial.")
        return redirect("account", tenancy_ref=tenancy.tenancy_ref)
    form = TrialEndForm(request.POST or None, start_date=tenancy.start_date,
                        initial={"trial_end_date": tenancy.trial_end_date})
    if request.method == "POST" and form.is_valid():
        actions.set_trial_end(tenancy, request.user, trial_end=form.cleaned_data["trial_end_date"],
                              why=form.cleaned_data["why"], as_of=timezone.localdate())
        return _done(request, tenancy, "Trial end date saved.")
    return _page(request, tenancy, form, "Change the trial end date", "Save trial end date",
                 f"The tenancy started on {tenancy.start_date:%-d %b %Y}. From the day its trial "
                 "ends it is treated as settled: secure or assured.")
