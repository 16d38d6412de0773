"""The officer's week: what falls due each day on their patches, and who has not been contacted."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.cases import queries
from openincome.cases.labels import action_label
from openincome.cases.queries import (
    Scope,
    action_counts,
    lead_names,
    not_contacted,
    run_for,
    week_of,
)
from openincome.common.permissions import requires
from openincome.ledger.limits import DATE_MIN, date_problem
from openincome.ledger.models import Patch
from openincome.staff.queries import officers

from ..dates import parse_as_of
from .worklist import _filter, _options

PAGE_SIZE = 25


def _chosen_day(request, today: datetime.date) -> tuple[datetime.date, str | None, dict]:
    """The day whose week to show: the date picker's day, month and year, else `as_of`."""
    picked = {k: request.GET.get(k, "").strip() for k in ("day", "month", "year")}
    if any(picked.values()):
        missing = [k for k in ("day", "month", "year") if not picked[k]]
        if missing:
            return today, f"The date must include a {missing[0]}", picked
        try:
            day = datetime.date(int(picked["year"]), int(picked["month"]), int(picked["day"]))
        except (ValueError, OverflowError):
            return today, "The date must be a real date", picked
    else:
        day, error = parse_as_of(request.GET.get("as_of"))
        if error:
            return today, error, picked
    if problem := date_problem(day):
        return today, f"The date {problem}", picked
    return day, None, {"day": day.day, "month": day.month, "year": day.year}


@require_safe
@requires("cases.view_cases")
def programme(request):
    """The week's programme: each day's hearings, notice dates, instalments and callbacks."""
    today = timezone.localdate()
    day, date_error, picked = _chosen_day(request, today)
    flt, patch_param = _filter(request, day)
    # An officer's callbacks show wherever the tenancy is (they may cover another patch).
    scope = Scope(tuple(flt.patches), flt.officer or request.user.get_username())
    monday, sunday = week_of(day)
    days = queries.programme(scope, monday)

    # Contact gaps are counted up to the chosen day, or today when looking ahead.
    contact_as_of = min(day, today)
    run = run_for(contact_as_of)
    waiting = groups = None
    if run is not None:
        waiting = Paginator(not_contacted(run, scope, contact_as_of, settings.NOT_CONTACTED_DAYS),
                            PAGE_SIZE).get_page(request.GET.get("page"))
        names = lead_names(row.tenancy_id for row in waiting.object_list)
        for row in waiting.object_list:
            row.name = names.get(row.tenancy_id, "")
            row.last_contact = None if row.latest == DATE_MIN else row.latest
        groups = [{"action": a, "label": action_label(a), "count": n}
                  for a, n in action_counts(run, scope)]
    previous = monday - datetime.timedelta(days=7)
    return render(request, "web/programme.html", {
        "nav": "programme", "as_of": day, "today": today, "date_error": date_error,
        "picked": picked, "flt": flt, "patch_param": patch_param,
        "patch_options": _options(Patch.objects.values_list("code", "code"), patch_param),
        "officer_options": _options(officers(), flt.officer),
        "monday": monday, "sunday": sunday, "days": days,
        "previous": previous if previous >= DATE_MIN else None,
        "next": sunday + datetime.timedelta(days=1) if date_problem(
            sunday + datetime.timedelta(days=1)) is None else None,
        "run": run, "contact_as_of": contact_as_of, "waiting": waiting,
        "not_contacted_days": settings.NOT_CONTACTED_DAYS,
        "groups": groups, "total": sum(g["count"] for g in groups or ()),
    })
