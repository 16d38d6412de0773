"""Reads about legal steps: what falls due in a week (hearings, notice dates), and the next
hearing a worklist row shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import polars as pl
from django.db.models import OuterRef, Q, Subquery

from openincome.cases.nightly import classify_as_of
from openincome.cases.programme import Entry, Scope
from openincome.ledger.models import Charge, Landlord, Tenancy
from openincome.policy.store import params_in_force

from . import dates as notice_rules
from .dates import CHARGES_SCHEMA, NoticeDates
from .models import Approval, Assessment, Checklist, CourtCase, Notice

NOTICE_NAMES = {
    "nosp_secure": "notice of seeking possession",
    "intro_s128": "introductory tenancy notice (section 128)",
    "section_8": "section 8 notice",
    "notice_to_quit": "notice to quit",
}


def hearings(scope: Scope, first: datetime.date, last: datetime.date,
             period_days: Mapping[str, int]) -> Iterable[Entry]:
    """Court hearings from `first` to `last` in scope (the work programme's)."""
    cases = (CourtCase.objects.filter(scope.tenancies(), hearing_date__range=(first, last))
             .select_related("tenancy"))
    for case in cases:
        yield Entry(case.hearing_date, "hearing", case.tenancy.tenancy_ref, case.tenancy_id,
                    f"Court case {case.case_ref}")


def notice_dates(scope: Scope, first: datetime.date, last: datetime.date,
                 period_days: Mapping[str, int]) -> Iterable[Entry]:
    """Notices' earliest proceedings and expiry dates from `first` to `last` in scope."""
    notices = (Notice.objects.filter(scope.tenancies())
               .filter(Q(earliest_proceedings_date__range=(first, last))
                       | Q(expiry_date__range=(first, last)))
               .select_related("tenancy"))
    for notice in notices:
        what = f"{NOTICE_NAMES.get(notice.kind, 'notice').capitalize()} {notice.notice_ref}"
        for kind, day in (("notice_proceedings", notice.earliest_proceedings_date),
                          ("notice_expiry", notice.expiry_date)):
            if day is not None and first <= day <= last:
                yield Entry(day, kind, notice.tenancy.tenancy_ref, notice.tenancy_id, what)


def next_hearing(tenancy: OuterRef, as_of: datetime.date) -> Subquery:
    """The worklist's hearing flag: the tenancy's next hearing on or after `as_of`."""
    return Subquery(CourtCase.objects.filter(tenancy=tenancy, hearing_date__gte=as_of)
                    .order_by("hearing_date").values("hearing_date")[:1])


def dates_for(tenancy: Tenancy, *, kind: str, served: datetime.date,
              method: str) -> NoticeDates:
    """The dates a notice of `kind` served on `served` by `method` would have (POLICY.md §6),
    by the policy in force on the served date and the tenancy's charges."""
    fields = [f for f in CHARGES_SCHEMA if f != "tenancy_id"]
    rows = list(Charge.objects.filter(tenancy=tenancy).values("tenancy_id", *fields))
    charges = pl.DataFrame(rows, schema=CHARGES_SCHEMA) if rows else pl.DataFrame(
        schema=CHARGES_SCHEMA)
    return notice_rules.notice_dates(kind, served, method, policy=params_in_force(served),
                                     charges=charges,
                                     rent_week_day=Landlord.current().rent_week_day)


def terms_breached(tenancy: Tenancy, as_of: datetime.date) -> bool:
    """Whether the engine finds the tenancy's court order's terms breached on `as_of`
    (POLICY.md §3.8, §4: the order monitored as an agreement)."""
    row = classify_as_of(as_of, [tenancy.pk]).row(0, named=True)
    expected = row["court_order_expected"]
    # The engine's own test (classify._court_order): the compared arrears above the expected.
    compared = row[params_in_force(as_of).breach_compares]
    return expected is not None and compared is not None and compared > expected


@dataclass(frozen=True)
class ProtocolRecords:
    """A tenancy's recent checklists, assessments and approval requests, newest first."""

    checklists: list
    assessments: list
    approvals: list


def protocol_records(tenancy: Tenancy, limit: int = 5) -> ProtocolRecords:
    """The tenancy's latest protocol records, for the legal pages."""
    return ProtocolRecords(
        list(Checklist.objects.filter(tenancy=tenancy).select_related("completed_by", "notice")
             .order_by("-completed_date", "-pk")[:limit]),
        list(Assessment.objects.filter(tenancy=tenancy).select_related("assessed_by")
             .order_by("-assessed_date", "-pk")[:limit]),
        list(Approval.objects.filter(tenancy=tenancy).select_related("requested_by",
                                                                     "decided_by")
             .order_by("-requested_date", "-pk")[:limit]),
    )
