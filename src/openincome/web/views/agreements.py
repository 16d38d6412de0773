"""Agreement pages: the income and expenditure statement (totals live as the officer types),
making a plan from its proposal, cancelling one, and reviewing a breached one.

Thin views: each validates the whole form, then calls one function in `agreements.actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from openincome.agreements import actions
from openincome.agreements.affordability import propose
from openincome.agreements.models import REFERRAL_KINDS, Agency
from openincome.agreements.queries import (
    REFERRAL_SORTS,
    EngineViews,
    breached_since,
    draft_statement,
    guideline_table,
    guidelines,
    latest_statement,
    live_agreement,
    monitoring,
    referral_counts,
    referrals,
    terms,
)
from openincome.agreements.sfs import LINES, SECTIONS, above_guideline, totals
from openincome.benefits.queries import circumstances_in_force
from openincome.cases.actions import record_action
from openincome.cases.queries import recommendation
from openincome.common.permissions import requires
from openincome.ledger.models import Patch
from openincome.ledger.pence import decimal_pounds, pounds
from openincome.ledger.vocab import FREQUENCIES
from openincome.policy.store import params_in_force

from ..forms_agreements import (
    AgreementForm,
    CancelAgreementForm,
    ReferralForm,
    ReferralOutcomeForm,
    StatementForm,
)
from .account import tenancy_or_404, tenancy_vulnerabilities
from .records import _back_query, _done

REFERRALS_PAGE = 50


def _render(request, template, tenancy, form, **extra):
    tenants = list(tenancy.tenants.all())
    return render(request, f"web/agreements/{template}", {
        "nav": "worklist", "tenancy": tenancy, "form": form, "tenants": tenants,
        "vulnerabilities": tenancy_vulnerabilities(tenants), "wl_query": _back_query(request),
        **extra,
    }, status=400 if form is not None and form.is_bound and form.errors else 200)


def _typed_amounts(form: StatementForm) -> dict[str, int]:
    """The amounts that parse so far (for live totals while other boxes are still wrong)."""
    if form.is_valid():
        return form.amounts()
    return {key: form.cleaned_data[key] for key in LINES
            if isinstance(form.cleaned_data.get(key), int) and form.cleaned_data[key]}


def _totals_context(form: StatementForm) -> dict:
    today = timezone.localdate()
    amounts = _typed_amounts(form) if form.is_bound else {}
    adults = form.cleaned_data.get("adults") if form.is_bound else None
    children = form.cleaned_data.get("children") if form.is_bound else None
    table = guideline_table(today)
    limits = guidelines(table, adults or 1, children or 0)
    return {"totals": totals(amounts), "above": {LINES[k]: v for k, v in
                                                  above_guideline(amounts, limits).items()},
            "guideline_table": table}


@requires("cases.record")
def statement(request, tenancy_ref: str):
    """Income and expenditure: save a draft, or complete it and go on to the plan."""
    tenancy = tenancy_or_404(tenancy_ref)
    draft = draft_statement(tenancy)
    if request.method == "POST":
        form = StatementForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            complete = "complete" in request.POST
            actions.save_statement(
                tenancy, request.user, adults=data["adults"], children=data["children"],
                vehicles=data["vehicles"], amounts=form.amounts(), note=data["note"],
                complete=complete, on=timezone.localdate())
            if complete:
                messages.success(request, "Income and expenditure completed. Now agree a plan.")
                url = reverse("agreement-new", args=[tenancy.tenancy_ref])
                query = _back_query(request)
                return redirect(url + ("?" + query if query else ""))
            return _done(request, tenancy, "Income and expenditure draft saved.")
    else:
        initial = {"adults": 1, "children": 0, "vehicles": 0}
        if draft is not None:
            initial = {"adults": draft.adults, "children": draft.children,
                       "vehicles": draft.vehicles, "note": draft.note,
                       **{k: decimal_pounds(v) for k, v in draft.amounts.items()}}
        form = StatementForm(initial=initial)
    return _render(request, "statement.html", tenancy, form, draft=draft,
                   circumstances=circumstances_in_force(tenancy, timezone.localdate()),
                   **_totals_context(form))


@require_POST
@requires("cases.record")
def statement_totals(request, tenancy_ref: str):
    """The totals panel for what is typed so far (htmx swaps it in as the officer types)."""
    tenancy = tenancy_or_404(tenancy_ref)
    form = StatementForm(request.POST)
    form.is_valid()
    return render(request, "web/agreements/_statement_totals.html",
                  {"tenancy": tenancy, **_totals_context(form)})


@require_safe
@requires("cases.record")
def statement_detail(request, tenancy_ref: str, statement_id: int):
    """One income and expenditure statement as it was kept: each line, the totals and the
    spending above the guideline it was judged against."""
    tenancy = tenancy_or_404(tenancy_ref)
    statement = (tenancy.statements.select_related("officer", "guideline_table")
                 .filter(pk=statement_id).first())
    if statement is None:
        raise Http404("No such statement")
    # A completed statement keeps the table it was judged against; a draft is judged today.
    table = (statement.guideline_table if statement.status == "completed"
             else guideline_table(timezone.localdate()))
    above = above_guideline(statement.amounts,
                            guidelines(table, statement.adults, statement.children))
    sections = []
    for _, heading, lines in SECTIONS:
        rows = [(label, statement.amounts[key], above.get(key)) for key, label in lines
                if statement.amounts.get(key)]
        sections.append((heading, rows))
    return _render(request, "statement_detail.html", tenancy, None, statement=statement,
                   sections=sections, totals=totals(statement.amounts), guideline_table=table,
                   above={LINES[k]: v for k, v in above.items()})


def _frequency(request) -> str:
    value = request.POST.get("frequency") or request.GET.get("frequency") or "weekly"
    return value if value in FREQUENCIES else "weekly"


@requires("cases.record")
def make_agreement(request, tenancy_ref: str):
    """Make a plan: the proposal from the latest statement, or the officer's own with a reason."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    arrears = int(recommendation(tenancy, today)["arrears"] or 0)
    ie = latest_statement(tenancy)
    frequency = _frequency(request)
    proposal = None
    if ie is not None and arrears > 0:
        proposal = propose(disposable_monthly=totals(ie.amounts).disposable, arrears=arrears,
                           frequency=frequency, start=today, policy=params_in_force(today))
    current = live_agreement(tenancy)
    initial = {"frequency": frequency, "start": today,
               "starting_balance": decimal_pounds(arrears) if arrears > 0 else ""}
    if proposal is not None:
        initial["instalment"] = decimal_pounds(proposal.instalment)
    form = AgreementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        reason = data["reason"].strip()
        if not reason and (proposal is None or data["instalment"] != proposal.instalment):
            form.add_error("reason", "Give a reason: the instalment is not the proposed one"
                           if proposal else "Give a reason: there is no completed income and "
                           "expenditure to propose a plan from")
        elif not reason and data["starting_balance"] != arrears:
            form.add_error("reason", "Give a reason: the arrears to repay are not today's "
                           f"arrears of {pounds(arrears)}")
        else:
            try:
                agreement = actions.make_agreement(
                    tenancy, request.user, instalment=data["instalment"],
                    frequency=data["frequency"], start=data["start"], as_of=today,
                    starting_balance=data["starting_balance"], lump_sum=data["lump_sum"],
                    reason=reason or "The proposed plan, from the income and expenditure")
            except actions.AgreementError as exc:
                form.add_error(exc.field or None, str(exc))
            else:
                return _done(request, tenancy, f"Agreement {agreement.agreement_ref} made.")
    return _render(request, "make.html", tenancy, form, proposal=proposal, statement=ie,
                   statement_totals=totals(ie.amounts) if ie else None, arrears=arrears,
                   current=current, policy=params_in_force(today),
                   other_frequencies=[f for f in FREQUENCIES if f != frequency])


def _agreement_or_404(tenancy, agreement_ref: str):
    agreement = tenancy.agreements.filter(agreement_ref=agreement_ref).first()
    if agreement is None:
        raise Http404("No such agreement")
    return agreement


@requires("cases.record")
def cancel_agreement(request, tenancy_ref: str, agreement_ref: str):
    """Cancel a live agreement, saying why."""
    tenancy = tenancy_or_404(tenancy_ref)
    agreement = _agreement_or_404(tenancy, agreement_ref)
    form = CancelAgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        today = timezone.localdate()
        try:
            actions.cancel_agreement(agreement, request.user, reason=form.cleaned_data["reason"],
                                     on=today, as_of=today)
        except actions.AgreementError as exc:
            form.add_error("reason", str(exc))
        else:
            return _done(request, tenancy, f"Agreement {agreement.agreement_ref} cancelled.")
    return _render(request, "cancel.html", tenancy, form, agreement=agreement)


@requires("cases.record")
def review_breached(request, tenancy_ref: str):
    """The breached agreement: send the breach letter, renegotiate, or cancel."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    agreement = live_agreement(tenancy)
    if agreement is None:
        # Reached from an old link once the plan ended: say so rather than fail.
        return _render(request, "review.html", tenancy, None, agreement=None)
    if request.method == "POST" and request.POST.get("choice") == "breach_letter":
        record_action(tenancy, request.user, date=today, code="breach_letter_sent",
                      channel="letter", note=f"Breach letter for {agreement.agreement_ref}",
                      as_of=today)
        return _done(request, tenancy, "Breach letter recorded.")
    rec = recommendation(tenancy, today)
    views = EngineViews(tenancy)
    return _render(request, "review.html", tenancy, None, agreement=agreement,
                   state=monitoring(agreement, today, views(today)), rec=rec,
                   since=breached_since(agreement, today, views),
                   wait_days=params_in_force(today).breach_letter_wait_days,
                   terms=terms(agreement, int(rec["weekly_charge"] or 0)))


@requires("cases.record")
def record_referral(request, tenancy_ref: str):
    """Refer the household to support (money advice records the ladder's action too)."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    form = ReferralForm(request.POST or None, initial={"referred_date": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.record_referral(tenancy, request.user, kind=data["kind"],
                                    agency=data["agency"], referred_date=data["referred_date"],
                                    consent=data["consent"] == "yes", note=data["note"],
                                    as_of=today)
        except actions.AgreementError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            return _done(request, tenancy, "Referral recorded.")
    return _render(request, "referral.html", tenancy, form)


@requires("cases.record")
def referral_outcome(request, tenancy_ref: str, referral_id: int):
    """Record how a referral turned out."""
    tenancy = tenancy_or_404(tenancy_ref)
    referral = tenancy.referrals.select_related("agency").filter(pk=referral_id).first()
    if referral is None:
        raise Http404("No such referral")
    form = ReferralOutcomeForm(request.POST or None,
                               initial={"outcome_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_referral_outcome(referral, request.user,
                                            outcome=form.cleaned_data["outcome"],
                                            outcome_date=form.cleaned_data["outcome_date"])
        except actions.AgreementError as exc:
            form.add_error(exc.field or None, str(exc))
        else:
            return _done(request, tenancy, "Referral outcome recorded.")
    return _render(request, "referral_outcome.html", tenancy, form, referral=referral)


REFERRAL_STATUSES = {"open": "Open", "closed": "With an outcome", "all": "All"}


@require_safe
@requires("agreements.view_referrals")
def referrals_list(request):
    """The team's referrals to support (open ones by default, the oldest first), filtered by
    kind, agency and patch, sorted and paged, with how many there are of each kind."""
    get = request.GET
    status = get.get("status") if get.get("status") in REFERRAL_STATUSES else "open"
    kind = get.get("kind") if get.get("kind") in REFERRAL_KINDS else ""
    agency, patch = get.get("agency", "").strip(), get.get("patch", "").strip()
    sort = get.get("sort") if get.get("sort") in REFERRAL_SORTS else "referred"
    descending = get.get("dir") == "desc"
    rows = referrals(status=status, kind=kind, agency=agency, patch=patch, sort=sort,
                     descending=descending)
    counts = referral_counts(referrals(status=status, agency=agency, patch=patch))
    page = Paginator(rows, REFERRALS_PAGE).get_page(get.get("page"))
    return render(request, "web/agreements/referrals.html", {
        "nav": "referrals", "page": page, "status": status, "kind": kind, "agency": agency,
        "patch": patch, "flt": {"sort": sort, "descending": descending},
        "kind_label": REFERRAL_KINDS.get(kind, ""),
        "statuses": REFERRAL_STATUSES.items(), "kinds": REFERRAL_KINDS.items(),
        "agencies": Agency.objects.order_by("name").values_list("name", flat=True),
        "patches": Patch.objects.order_by("code").values_list("code", flat=True),
        "counts": [(REFERRAL_KINDS[k], k, n) for k, n in counts.items()],
        "total": sum(counts.values()),
    })
