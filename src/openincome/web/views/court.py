"""The legal tab of an account, the court-stage forms, the court documents and the team
leader's lists of hearings and evictions (issue 16 part B).

Each form validates itself, then calls one action of `legal.actions_court`; a refusal of the
action is shown on the form with nothing saved.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from types import SimpleNamespace

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.cases.queries import recommendation
from openincome.common.permissions import requires
from openincome.legal import actions_court as court
from openincome.legal import documents, pcol
from openincome.legal.gates import notice_window
from openincome.legal.models import CourtCase, Notice
from openincome.legal.queries import (
    court_events,
    evictions,
    latest_case,
    legal_timeline,
    pre_claim_steps,
    upcoming_hearings,
)

from .. import forms_court
from ..fields import parse_typed_date
from .account import tenancy_or_404

PAGE_SIZE = 25
# The engine's court-stage actions (POLICY.md §3.7, §3.8) and the form that records each.
NEXT_STEP = {
    "prepare_for_hearing": "prepare", "update_court_outcome": "outcome",
    "restore_hearing": "hearing", "apply_to_fix_possession_date": "possession-date",
    "chase_eviction_date": "eviction-date", "apply_for_warrant": "warrant",
}


@dataclass(frozen=True)
class Step:
    """One court-stage form: its heading, form, button, and the action it calls."""

    heading: str
    form: type
    submit: str
    needs_case: bool = True


STEPS = {
    "hearing": Step("Record a hearing", forms_court.HearingForm, "Save the hearing"),
    "prepare": Step("Prepare for the hearing", forms_court.PrepareForm, "Prepare"),
    "outcome": Step("Record the outcome", forms_court.OutcomeForm, "Save the outcome"),
    "possession-date": Step("Record the possession date fixed", forms_court.PossessionDateForm,
                            "Save the possession date"),
    "n244": Step("Record a tenant's application (N244)", forms_court.N244Form,
                 "Save the application"),
    "warrant": Step("Record the warrant issued", forms_court.WarrantForm, "Save the warrant"),
    "eviction-date": Step("Record the eviction date", forms_court.EvictionDateForm,
                          "Save the eviction date"),
    "evicted": Step("Record the eviction", forms_court.EvictedForm, "Record the eviction"),
    "extension": Step("Extend the trial (section 125A notice)", forms_court.ExtensionForm,
                      "Record the notice", needs_case=False),
}


def _act(step: str, tenancy, case: CourtCase | None, user, data: dict, today: datetime.date):
    """Call the step's action; returns the message shown after it."""
    note = data.get("note", "")
    if step == "hearing":
        court.record_hearing(case, user, hearing_date=data["hearing_date"], court=data["court"],
                             place=data["place"], note=note, as_of=today)
        return "Hearing recorded."
    if step == "prepare":
        event = court.prepare_for_hearing(case, user, as_of=today)
        return f"Hearing pack prepared. {event.note or 'Notice of hearing sent.'}"
    if step == "outcome":
        court.record_outcome(case, user, outcome=data["outcome"],
                             outcome_date=data["outcome_date"], as_of=today,
                             possession_date=data["possession_date"],
                             instalment=data["instalment"], frequency=data["frequency"],
                             next_hearing=data["next_hearing"], note=note)
        return "Outcome recorded."
    if step == "possession-date":
        court.fix_possession_date(case, user, possession_date=data["possession_date"],
                                  fixed_on=data["fixed_on"], note=note, as_of=today)
        return "Possession date recorded."
    if step == "n244":
        court.record_n244(case, user, received=data["received"],
                          hearing_date=data["hearing_date"], note=note, as_of=today)
        return "Application recorded."
    if step == "warrant":
        court.record_warrant_issued(case, user, issued=data["issued"], note=note, as_of=today)
        return "Warrant recorded."
    if step == "eviction-date":
        court.record_eviction_date(case, user, eviction_date=data["eviction_date"], note=note,
                                   as_of=today)
        return "Eviction date recorded."
    if step == "evicted":
        court.record_evicted(case, user, evicted_on=data["evicted_on"], note=note, as_of=today)
        return "Eviction recorded: the tenancy has ended."
    court.serve_trial_extension(tenancy, user, served=data["served"], reason=data["reason"],
                                as_of=today)
    return "Trial extended."


@require_safe
@requires("cases.view_cases")
def legal_tab(request, tenancy_ref: str):
    """Notices, the court case, its hearings and order, and the steps recorded."""
    tenancy = tenancy_or_404(tenancy_ref)
    case = latest_case(tenancy)
    rec = recommendation(tenancy, timezone.localdate())
    notices = list(tenancy.notices.order_by("-served_date"))
    for notice in notices:  # unsaved: an imported notice's missing dates, as the gates read it
        notice.earliest_proceedings_date, notice.expiry_date = notice_window(notice)
    return render(request, "web/legal/tab.html", {
        "nav": "worklist", "tenancy": tenancy, "case": case, "rec": rec,
        "next_step": NEXT_STEP.get(rec["action"]) if case else None,
        "cases": tenancy.court_cases.order_by("-claim_date"),
        "notices": notices,
        "events": court_events(tenancy)[:200], "timeline": legal_timeline(tenancy),
        "pre_claim": pre_claim_steps(tenancy, timezone.localdate()) if case is None else None,
        # A warrant applied for is recorded issued once (the case's warrant date is the first).
        "warrant_issued": case.events.filter(kind="warrant_issued").order_by("date").first()
        if case else None,
        "may_protocol": request.user.has_perm("legal.protocol"),
        "may_serve": request.user.has_perm("legal.serve_notice"),
        "can_record": request.user.has_perm("legal.record_court_step"),
        "can_read": request.user.has_perm("legal.view_court"),
    })


@requires("legal.record_court_step")
def court_step(request, tenancy_ref: str, step: str):
    """One court-stage form (GET shows it; POST records the step through its action)."""
    tenancy = tenancy_or_404(tenancy_ref)
    spec = STEPS.get(step)
    if spec is None:
        messages.error(request, "There is no such court step.")
        return redirect(reverse("legal-tab", args=[tenancy.tenancy_ref]))
    case = latest_case(tenancy)
    form = spec.form(request.POST or None, initial=_current(step, case))
    if spec.needs_case and case is None:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            done = _act(step, tenancy, case, request.user, form.cleaned_data,
                        timezone.localdate())
        except court.CourtStepRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, done)
            return redirect(reverse("legal-tab", args=[tenancy.tenancy_ref]))
    return render(request, "web/legal/step.html", {
        "nav": "worklist", "tenancy": tenancy, "case": case, "form": form,
        "heading": spec.heading, "submit": spec.submit,
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


def _current(step: str, case: CourtCase | None) -> dict:
    """What the case already holds for a step, so a form re-recording it starts from that
    (re-recording a hearing keeps its court and place unless they are changed)."""
    if case is None:
        return {}
    if step == "hearing":
        return {"hearing_date": case.hearing_date, "court": case.court_name,
                "place": case.hearing_place}
    if step == "possession-date":
        return {"possession_date": case.possession_date}
    if step == "eviction-date":
        return {"eviction_date": case.eviction_date}
    return {}


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
@requires("legal.view_court")
def court_document(request, tenancy_ref: str, kind: str):
    """A court document as PDF (or CSV): bundle, schedule, a notice, a pack or s125A notice."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    back = redirect(reverse("legal-tab", args=[tenancy.tenancy_ref]))
    if kind == "bundle":
        return _pdf(documents.bundle_pdf(tenancy, today), f"bundle-{tenancy.tenancy_ref}.pdf")
    if kind == "schedule-pdf":
        case = latest_case(tenancy)
        return _pdf(documents.rent_schedule_pdf(tenancy, today, case.claim_date if case
                                                else None),
                    f"rent-schedule-{tenancy.tenancy_ref}.pdf")
    if kind == "schedule":
        case = latest_case(tenancy)
        response = HttpResponse(documents.rent_schedule_csv(
            tenancy, today, case.claim_date if case else None), content_type="text/csv")
        response["Content-Disposition"] = (f'attachment; filename="rent-schedule-'
                                           f'{tenancy.tenancy_ref}.csv"')
        return response
    if kind == "warrant":
        case = latest_case(tenancy)
        if case is not None:
            response = HttpResponse(pcol.warrant_csv(case, today), content_type="text/csv")
            response["Content-Disposition"] = (f'attachment; filename="warrant-'
                                               f'{case.case_ref}.csv"')
            return response
    if kind in ("claim", "claim-summary"):
        case = latest_case(tenancy)
        if case is not None and kind == "claim":
            response = HttpResponse(pcol.claim_csv(case), content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="claim-{case.case_ref}.csv"'
            return response
        if case is not None:
            return _pdf(documents.claim_summary_pdf(case), f"claim-{case.case_ref}.pdf")
    if kind == "notice-draft":
        draft = _draft_notice(tenancy, request.GET)
        if draft is not None:
            return _pdf(documents.notice_pdf(draft), f"notice-{tenancy.tenancy_ref}.pdf")
    if kind == "notice":
        notice = tenancy.notices.filter(notice_ref=request.GET.get("ref", "")).first()
        if notice is not None:
            return _pdf(documents.notice_pdf(notice), f"{notice.notice_ref}.pdf")
    if kind in ("pack", "extension"):
        wanted = {"pack": "hearing_pack", "extension": "s125a_extension"}[kind]
        event = tenancy.court_events.filter(kind=wanted,
                                            pk=_int(request.GET.get("event"))).first()
        if event is not None and kind == "pack" and event.pdf:
            return _pdf(bytes(event.pdf), f"hearing-pack-{event.pk}.pdf")
        if event is not None and kind == "extension":
            from openincome.letters.pdf import render_pdf

            return _pdf(render_pdf(documents.extension_notice_html(event)),
                        f"trial-extension-{event.pk}.pdf")
    messages.error(request, "That document was not found on this account.")
    return back


def _draft_notice(tenancy, params) -> Notice | None:
    """An unsaved notice with the dates it would have (POLICY.md §6), to print and serve."""
    from openincome.ledger.vocab import NOTICE_KINDS
    from openincome.legal.queries import dates_for
    from openincome.policy.params import SERVICE_METHODS

    kind, method = params.get("kind", ""), params.get("method", "")
    served = parse_typed_date(params.get("served", ""))
    if kind not in NOTICE_KINDS or method not in SERVICE_METHODS or served is None:
        return None
    try:
        dates = dates_for(tenancy, kind=kind, served=served, method=method)
    except ValueError:
        return None
    return Notice(notice_ref="DRAFT", tenancy=tenancy, kind=kind, served_date=served,
                  method=method, deemed_service_date=dates.deemed_service.date,
                  earliest_proceedings_date=dates.earliest_proceedings.date,
                  expiry_date=dates.expiry.date)


def _int(text: str | None) -> int:
    return int(text) if text and text.isdigit() else 0


def _since(request) -> tuple[forms_court.FromFilterForm, datetime.date]:
    """The lists' "from" filter: a bad date is an error on the page (today's list meanwhile),
    never silently ignored."""
    today = timezone.localdate()
    asked = any(key == "from" or key.startswith("from-") for key in request.GET)
    form = forms_court.FromFilterForm(request.GET if asked else None, initial={"from": today})
    if asked and form.is_valid() and form.cleaned_data["from"]:
        return form, form.cleaned_data["from"]
    return form, today


def _list_state(request, sorts) -> SimpleNamespace:
    sort = request.GET.get("sort", "date")
    return SimpleNamespace(sort=sort if sort in sorts else "date",
                           descending=request.GET.get("dir") == "desc")


@require_safe
@requires("legal.view_court")
def hearings(request):
    """Hearings to come, paged, sorted and filtered by court and date."""
    from openincome.legal.queries import HEARING_SORTS

    flt = _list_state(request, HEARING_SORTS)
    form, since = _since(request)
    court_name = request.GET.get("court", "").strip()[:100]
    rows = upcoming_hearings(since, court=court_name, sort=flt.sort, descending=flt.descending)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/legal/hearings.html", {
        "nav": "court", "page": page, "flt": flt, "since": since, "court": court_name,
        "form": form, "from_field": form["from"],
    })


@require_safe
@requires("legal.view_court")
def eviction_list(request):
    """Evictions to come and warrants waiting for an eviction date, paged and sorted."""
    from openincome.legal.queries import EVICTION_SORTS

    flt = _list_state(request, EVICTION_SORTS)
    form, since = _since(request)
    rows = evictions(since, sort=flt.sort, descending=flt.descending)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/legal/evictions.html", {
        "nav": "court", "page": page, "flt": flt, "since": since,
        "form": form, "from_field": form["from"],
    })
