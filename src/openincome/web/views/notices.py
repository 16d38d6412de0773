"""Serve a notice from the account page: the dates of POLICY.md §6 shown, then confirmed.

The officer checks the dates first (deemed service, earliest proceedings, expiry, each with
its rule); the confirm button appears only with them. Both steps go through the legal app's
gates, so a page can never record what the command line would refuse.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from openincome.cases.tenure import tenure_at
from openincome.common.permissions import requires
from openincome.ledger.vocab import NOTICE_KINDS, label
from openincome.legal.actions import GateRefused, notice_gates, serve_notice
from openincome.legal.dates import METHOD_WORDS
from openincome.legal.gates import needs
from openincome.legal.queries import dates_for
from openincome.policy.store import params_in_force

from ..fields import GovDateField
from .account import tenancy_or_404


class NoticeForm(forms.Form):
    """The notice, the day it was served and how."""

    kind = forms.ChoiceField(label="Notice", widget=forms.RadioSelect,
                             choices=[(k, label(k)) for k in NOTICE_KINDS],
                             error_messages={"required": "Select the notice"})
    served = GovDateField(label="Date served", help_text="The day it was handed over, posted "
                          "or left at the property. For example, 27 3 2026",
                          error_messages={"required": "Enter the date it was served"})
    method = forms.ChoiceField(label="How it was served", widget=forms.RadioSelect,
                               choices=[(m, w.capitalize()) for m, w in METHOD_WORDS.items()],
                               error_messages={"required": "Select how it was served"})


def checked_as(data: dict) -> str:
    """What the officer checked, as the page carries it to the Record button: the record must
    be of exactly the notice whose dates were shown."""
    return f"{data['kind']}|{data['served'].isoformat()}|{data['method']}"


@requires("legal.serve_notice")
def serve(request, tenancy_ref: str):
    """Check a notice's dates, then record it served."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    fits = params_in_force(today).notice_kind_for_tenure(
        tenure_at(tenancy, today, params_in_force(today)))
    form = NoticeForm(request.POST or None, initial={"kind": fits, "served": today})
    dates, on = None, today
    step = request.POST.get("step")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # The gates as the action runs them: the protocol's as of the day served.
        on = min(data["served"], today)
        try:
            if step == "serve" and request.POST.get("checked") != checked_as(data):
                form.add_error(None, "The notice, date or method changed after the dates "
                               "were checked: check the dates again")
            elif step == "serve":
                serve_notice(tenancy, request.user, kind=data["kind"], served=data["served"],
                             method=data["method"], as_of=today)
                messages.success(request, f"{label(data['kind'])} recorded. The "
                                 "recommendation below reflects it.")
                return redirect(reverse("account", args=[tenancy.tenancy_ref]))
            elif step != "change":
                notice_gates(tenancy, as_of=today, **data)
                dates = dates_for(tenancy, **data)
        except GateRefused as refused:
            field = {"dates": "served", "tenure": "kind", "breathing_space": "kind"}
            form.add_error(field.get(refused.gate), str(refused))
        except ValueError as exc:  # a policy version without a date rule for the kind
            form.add_error("kind", (text := str(exc))[:1].upper() + text[1:])
    return render(request, "web/notice_serve.html", {
        "nav": "worklist", "tenancy": tenancy, "form": form, "dates": dates,
        "needs": needs(tenancy, "serve_notice", on), "needs_on": on, "today": today,
        "checked": checked_as(form.cleaned_data) if dates else "",
        "method_words": METHOD_WORDS[dates.method].capitalize() if dates else "",
    }, status=400 if form.is_bound and form.errors else 200)
