"""The officer's morning: the worklist, its tabs and filters, and CSV export."""

from __future__ import annotations

import csv
from types import SimpleNamespace
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST, require_safe

from openincome.cases.figures import FIGURES
from openincome.cases.labels import ACTION_LABELS, action_label
from openincome.cases.models import WorklistRun
from openincome.cases.nightly import run_nightly
from openincome.cases.promises import episode_promise_states
from openincome.cases.queries import (
    SORTS,
    TABS,
    WorklistFilter,
    live_worklist,
    tab_counts,
)
from openincome.cases.queries import worklist as worklist_rows
from openincome.cases.worklist_output import CALL_LIST, call_list_columns, call_values, csv_row
from openincome.common.permissions import requires
from openincome.ledger.models import Patch, Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import TENURES
from openincome.letters.queries import sendable_actions
from openincome.policy.store import params_in_force
from openincome.staff.queries import officer_patches, officers, patches_of

from ..dates import parse_as_of
from ..worklist_state import with_page, worklist_state

PAGE_SIZE = 50


def _filter(request, as_of) -> tuple[WorklistFilter, str]:
    """The filter from the query string; officers default to their own patches."""
    return filter_from(request.GET, request.user, as_of)


def filter_from(params, user, as_of) -> tuple[WorklistFilter, str]:
    """The filter of worklist parameters (a query string's); officers default to their own
    patches."""
    patch = params.get("patch")
    officer = params.get("officer", "")
    if officer:
        # An officer's worklist is their patches (team leaders look at one officer's work).
        patches = patches_of(officer)
        patch = ",".join(patches) or "none"
        patches = patches or ["\u2205"]  # an officer with no patch has an empty worklist
    elif patch is None:
        mine = officer_patches(user)
        patches, patch = mine, ",".join(mine)
    elif patch in ("", "all"):
        patches, patch = [], "all"
    else:
        patches = [p for p in patch.split(",") if p]
    sort = params.get("sort", "priority")
    flt = WorklistFilter(
        as_of=as_of,
        tab=params.get("tab", "action") if params.get("tab") in TABS else "action",
        patches=patches,
        action=params.get("action", "") if params.get("action") in ACTION_LABELS else "",
        tenure=params.get("tenure", "") if params.get("tenure") in TENURES else "",
        sort=sort if sort in SORTS else "priority",
        descending=params.get("dir", "desc") != "asc",
    )
    flt.officer = officer
    return flt, patch


def _options(choices, selected: str) -> str:
    """<option> elements for (value, label) pairs, the selected one marked (escaped)."""
    return format_html_join(
        "", '<option value="{}"{}>{}</option>',
        ((value, mark_safe(" selected") if value == selected else "", label)
         for value, label in choices),
    )


def _flags(row) -> list[str]:
    flags = []
    if row.vulnerable:
        flags.append("Vulnerable")
    if row.on_uc:
        flags.append("UC")
    if getattr(row, "verification_due", False):
        flags.append("UC verification due")
    if getattr(row, "request_to_chase", False):
        flags.append("Chase APA or deduction")
    if row.pause_reason.startswith("breathing_space"):
        flags.append("Breathing Space")
    if row.hearing:
        flags.append(f"Court {row.hearing:%d %b}")
    if getattr(row, "promise", None):
        flags.append(f"Promise {row.promise}")
    if getattr(row, "dd_failed", False):
        flags.append("Direct Debit failed")
    if getattr(row, "undelivered", False):
        flags.append("Not delivered")
    return flags


@require_safe
@requires("cases.view_cases")
def worklist(request):
    """Today's recommendations, one row per tenancy, for the officer's patches by default."""
    as_of, date_error = parse_as_of(request.GET.get("as_of"))
    flt, patch_param = _filter(request, as_of)
    run = WorklistRun.objects.filter(as_of=as_of).first()
    context = {
        "nav": "worklist", "as_of": as_of, "date_error": date_error, "flt": flt,
        "patch_param": patch_param, "run": run, "tabs": TABS,
        "actions": ACTION_LABELS, "tenures": TENURES, "figures": FIGURES,
        "can_run": request.user.has_perm("cases.run_worklist"),
        # Hundreds of patches are an option each: built here, far faster than a template loop.
        "patch_options": _options(Patch.objects.values_list("code", "code"), patch_param),
        "officer_options": _options(officers(), flt.officer),
    }
    if run is None:
        # No stored worklist for the date: classify the officer's patches now rather than show
        # nothing (a whole landlord is the nightly's job, or a team leader's "Build").
        if flt.patches and not date_error:
            context["preview"] = _preview(as_of, flt)
        return render(request, "web/worklist.html", context)
    rows = worklist_rows(run, flt)
    if request.GET.get("format") == "csv":
        return _csv(rows, as_of)
    counts = tab_counts(run, flt)
    paginator = Paginator(rows, PAGE_SIZE)
    if not flt.action:
        # The tab's count is the list's length (same run, tab, patches and tenure): no recount.
        paginator.count = counts[flt.tab]
    page = paginator.get_page(request.GET.get("page"))
    # The account page's links back and onwards keep this view (filters, sort and page).
    state = worklist_state(request.GET)
    state = with_page(state, page.number) if page.number > 1 else state
    # Each shown case's promise to pay, as the account page names it (one page of rows).
    promises = episode_promise_states(
        [(row.tenancy, row.episode_start) for row in page.object_list], as_of,
        params_in_force(as_of))
    for index, row in enumerate(page.object_list, start=page.start_index() - 1):
        row.promise = promises.get(row.tenancy_id, "")
        row.flags = _flags(row)
        row.action_label = action_label(row.action)
        row.first_reason = row.explanations[0] if row.explanations else ""
        row.account_query = urlencode({"as_of": as_of.isoformat(), "wl": state, "at": index})
    # Today's rows whose action is a letter or message can be ticked and sent together (the
    # bulk send works on today's stored worklist).
    selectable = as_of == timezone.localdate() and request.user.has_perm("letters.send")
    sendable = {action for action, _ in sendable_actions()} if selectable else set()
    for row in page.object_list:
        row.sendable = row.action in sendable
    selectable = selectable and any(row.sendable for row in page.object_list)
    context.update(page=page, counts=counts, selectable=selectable)
    return render(request, "web/worklist.html", context)


def _preview(as_of, flt) -> list:
    """The cases needing action on the filter's patches, classified now and not stored,
    highest priority first (one page of them)."""
    found = live_worklist(as_of, flt, PAGE_SIZE)
    by_id = {r.pk: r for r in Tenancy.objects.filter(pk__in=[v["tenancy_id"] for v in found])
             .select_related("property")}
    rows = []
    for index, values in enumerate(found):
        row = SimpleNamespace(**values)
        row.tenancy = by_id[row.tenancy_id]
        row.pause_reason = row.pause_reason or ""
        row.flags = _flags(row)
        row.action_label = action_label(row.action)
        row.first_reason = row.explanations[0] if row.explanations else ""
        row.account_query = urlencode({"as_of": as_of.isoformat()})
        row.index = index
        rows.append(row)
    return rows


def _csv(rows, as_of) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="worklist-{as_of}.csv"'
    writer = csv.writer(response)
    # The figures under the names the pages and the command line's CSV use (cases.figures),
    # then what makes it a call list.
    writer.writerow(["priority", "tenancy_ref", "patch", "tenure", "balance", "arrears",
                     "technical_arrears", "actionable_arrears", "weeks_owed",
                     "days_since_last_payment", "action", "reason", "flags", *CALL_LIST])
    for row in rows.annotate(**call_list_columns()).iterator(chunk_size=2000):
        writer.writerow(csv_row([
            row.priority, row.tenancy.tenancy_ref, row.patch, row.tenure,
            pounds(row.balance), pounds(row.arrears), pounds(row.technical_arrears),
            pounds(row.actionable_arrears),
            "" if row.weeks_owed is None else f"{row.weeks_owed:.2f}",
            "" if row.days_since_last_payment is None else row.days_since_last_payment,
            action_label(row.action), row.explanations[0] if row.explanations else "",
            ";".join(_flags(row)), *call_values(row),
        ]))
    return response


@require_POST
@requires("cases.view_cases")
def build_worklist(request):
    """Classify every tenancy for a date that has no stored worklist yet (team leaders)."""
    if not request.user.has_perm("cases.run_worklist"):
        raise PermissionDenied
    if not request.POST.get("as_of"):
        messages.error(request, "Choose the date to build the worklist for")
        return redirect("worklist")
    as_of, date_error = parse_as_of(request.POST.get("as_of"))
    if date_error:
        messages.error(request, date_error)
        return redirect("worklist")
    # As the scheduled nightly does: its after-run steps follow (the automatic sends the policy
    # names, for today's date only), so a worklist built by hand leaves the same cases to do.
    run = run_nightly(as_of, actor=request.user, after_run=True)
    messages.success(request, f"Worklist built for {as_of:%d %B %Y}: {run.tenancies:,} "
                              f"tenancies in {run.seconds:.1f} seconds.")
    for failure in run.after_run_failures:
        messages.error(request, f"The worklist is stored, but a step after it failed "
                                f"(automatic sends): {failure}")
    return redirect(f"{reverse('worklist')}?as_of={as_of.isoformat()}")
