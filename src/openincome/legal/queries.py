"""Reads about legal steps: what falls due in a week (hearings, notice dates), and the next
hearing a worklist row shows."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import polars as pl
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils.html import format_html, format_html_join

from openincome.audit.models import AuditEvent
from openincome.cases.nightly import classify_as_of
from openincome.cases.programme import Entry, Scope
from openincome.common.dates import uk_date
from openincome.ledger.models import Charge, Landlord, Tenancy
from openincome.ledger.pence import pounds
from openincome.policy.store import params_in_force

from . import dates as notice_rules
from .dates import CHARGES_SCHEMA, NoticeDates
from .models import ESCALATION_CHOICES, Approval, Assessment, Checklist, CourtCase, Notice
from .protocol import STEPS

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
        where = f" at {case.court_name}" if case.court_name else ""
        yield Entry(case.hearing_date, "hearing", case.tenancy.tenancy_ref, case.tenancy_id,
                    f"Court case {case.case_ref}{where}")


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


def arrears_at(tenancy: Tenancy, as_of: datetime.date) -> int:
    """The tenancy's arrears on `as_of` in pence, as the engine and the worklist define them
    (POLICY.md §1: the balance less this rent period's charge not yet due, never below 0)."""
    return int(classify_as_of(as_of, [tenancy.pk]).row(0, named=True)["arrears"] or 0)


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


QUEUE_SORTS = {"requested": "requested_date", "tenancy": "tenancy__tenancy_ref",
               "arrears": "arrears"}


def approval_counts() -> dict[str, int]:
    """How many approval requests there are of each status (a status with none is absent)."""
    return dict(Approval.objects.values_list("status").annotate(n=Count("pk")))


def approval_queue(*, status: str = "pending", step: str = "", sort: str = "requested",
                   descending: bool = False):
    """Approval requests of a status ("all": any) and escalation ("": any), sorted by
    `sort` (a QUEUE_SORTS key), oldest request first by default."""
    rows = Approval.objects.select_related("tenancy", "tenancy__property", "requested_by",
                                           "decided_by")
    if status != "all":
        rows = rows.filter(status=status)
    if step:
        rows = rows.filter(escalation=step)
    key = QUEUE_SORTS.get(sort, "requested_date")
    return rows.order_by(f"-{key}" if descending else key, "pk")


# --- For the court bundle (issue 16 item 7): small safe HTML fragments, escaped here ---------


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def checklist_for_bundle(tenancy: Tenancy, as_of: datetime.date) -> tuple[str, str] | None:
    """The latest pre-action checklist completed by `as_of`, each step with its evidence and
    note: (title, an HTML fragment), or None when there is none."""
    checklist = (Checklist.objects.filter(tenancy=tenancy, completed_date__lte=as_of)
                 .select_related("completed_by", "notice").order_by("-completed_date", "-pk")
                 .first())
    if checklist is None:
        return None
    steps = {s.step: s for s in checklist.steps.all()}
    after = (format_html(", after the notice served on {}",
                         uk_date(checklist.notice.served_date, long=True))
             if checklist.notice else "")
    rows = format_html_join(
        "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
        ((words,
          format_html("<ul>{}</ul>", format_html_join(
              "", "<li>{} ({})</li>",
              ((e["label"], uk_date(datetime.date.fromisoformat(e["date"]), long=True))
               for e in steps[code].evidence)))
          if code in steps and steps[code].evidence else "None on the account",
          steps[code].note if code in steps else "")
         for code, words in STEPS.items()))
    html = format_html(
        "<p>Completed on {} by {}{}.</p><table><thead><tr><th>Protocol step</th>"
        "<th>Evidence on the account</th><th>Officer's note</th></tr></thead>"
        "<tbody>{}</tbody></table>",
        uk_date(checklist.completed_date, long=True), _who(checklist.completed_by), after, rows)
    return "Pre-action protocol checklist", str(html)


def proportionality_for_bundle(tenancy: Tenancy,
                               as_of: datetime.date) -> tuple[str, str] | None:
    """The latest proportionality and equality assessment of each escalation made by
    `as_of`: (title, an HTML fragment), or None when there is none."""
    latest: dict[str, Assessment] = {}
    for a in (Assessment.objects.filter(tenancy=tenancy, assessed_date__lte=as_of)
              .select_related("assessed_by").order_by("assessed_date", "pk")):
        latest[a.escalation] = a
    if not latest:
        return None
    parts = format_html_join("", (
        "<h3>{}</h3><p>Assessed on {} by {}. Conclusion: {}.</p><dl>"
        "<dt>Vulnerability and protected characteristics known</dt><dd>{}</dd>"
        "<dt>Their effect</dt><dd>{}</dd><dt>Alternatives tried</dt><dd>{}</dd>"
        "<dt>Reasoning</dt><dd>{}</dd></dl>"),
        ((a.get_escalation_display(), uk_date(a.assessed_date, long=True), _who(a.assessed_by),
          "proportionate" if a.proportionate else "not proportionate", a.vulnerability,
          a.effect, a.alternatives, a.reasoning)
         for a in sorted(latest.values(), key=lambda a: (a.assessed_date, a.pk))))
    return "Proportionality and equality assessment", str(parts)
def latest_case(tenancy: Tenancy) -> CourtCase | None:
    """The tenancy's court case with the latest claim (the one the engine reads)."""
    return tenancy.court_cases.order_by("-claim_date", "-pk").first()


def court_events(tenancy: Tenancy):
    """The legal timeline of a tenancy, latest first, with who recorded each step."""
    from .models import CourtEvent

    return (CourtEvent.objects.filter(tenancy=tenancy).select_related("recorded_by", "case")
            .defer("pdf"))


HEARING_SORTS = {"date": "hearing_date", "tenancy": "tenancy__tenancy_ref",
                 "court": "court_name"}
EVICTION_SORTS = {"date": "eviction_date", "tenancy": "tenancy__tenancy_ref",
                  "warrant": "warrant_date"}


def _sorted(rows, sorts: Mapping[str, str], sort: str, descending: bool):
    field = sorts.get(sort, next(iter(sorts.values())))
    return rows.order_by(("-" if descending else "") + field, "case_ref")


def upcoming_hearings(since: datetime.date, *, court: str = "", sort: str = "date",
                      descending: bool = False):
    """Cases with no outcome and a hearing on or after `since`, for the hearing list."""
    rows = (CourtCase.objects.filter(hearing_date__gte=since, outcome="")
            .select_related("tenancy", "tenancy__property"))
    if court:
        rows = rows.filter(court_name__icontains=court)
    return _sorted(rows, HEARING_SORTS, sort, descending)


def evictions(since: datetime.date, *, sort: str = "date", descending: bool = False):
    """Evictions on or after `since`, and warrants still waiting for an eviction date."""
    rows = (CourtCase.objects.filter(Q(eviction_date__gte=since)
                                     | Q(warrant_date__isnull=False, eviction_date__isnull=True))
            .select_related("tenancy", "tenancy__property"))
    return _sorted(rows, EVICTION_SORTS, sort, descending)


class TimelineRow(NamedTuple):
    """One line of the legal tab's timeline."""

    date: datetime.date
    step: str
    details: str
    note: str = ""
    by: str = ""


# The audit rows of the steps that use an approval, and the detail naming what they recorded.
USING_STEPS = {"notice_served": "notice", "claim_issued": "case", "warrant_applied": "case",
               "warrant_issued": "case"}


def _audited(tenancy: Tenancy, actions: Iterable[str]) -> list:
    """The tenancy's audit rows of `actions`, oldest first (who recorded a step, and when)."""
    return list(AuditEvent.objects.filter(object_type="tenancy", object_ref=tenancy.tenancy_ref,
                                          action__in=list(actions)).order_by("at", "pk"))


def _recorded_by(tenancy: Tenancy, action: str) -> dict[str, str]:
    """Reference (notice or case) -> the user who recorded the step in Open Income."""
    key = USING_STEPS[action]
    return {row.details.get(key): row.actor_name for row in _audited(tenancy, [action])}


def approval_use(approval: Approval) -> str:
    """What used an approval, by whom and when: "used for NTC-1 by officer1 on 4 Dec 2026"."""
    if approval.status != "used":
        return ""
    for row in _audited(approval.tenancy, USING_STEPS):
        if row.details.get("approval") == approval.pk:
            return (f"used for {approval.used_for} by {row.actor_name} on "
                    f"{uk_date(row.at.date())}")
    return f"used for {approval.used_for}" if approval.used_for else "used"


def _notice_rows(tenancy: Tenancy) -> Iterable[TimelineRow]:
    by = _recorded_by(tenancy, "notice_served")
    for n in tenancy.notices.all():
        how = f" ({n.get_method_display().lower()})" if n.method else ""
        yield TimelineRow(n.served_date, "Notice served",
                          f"{NOTICE_NAMES.get(n.kind, 'notice').capitalize()} "
                          f"{n.notice_ref}{how}", by=by.get(n.notice_ref, "On import"))


def _claim_rows(tenancy: Tenancy) -> Iterable[TimelineRow]:
    by = _recorded_by(tenancy, "claim_issued")
    for case in tenancy.court_cases.all():
        yield TimelineRow(case.claim_date, "Claim issued", f"Court case {case.case_ref}",
                          by=by.get(case.case_ref, "On import"))


def _event_rows(tenancy: Tenancy) -> Iterable[TimelineRow]:
    for e in court_events(tenancy)[:500]:
        yield TimelineRow(e.date, e.get_kind_display(), e.summary, e.note,
                          e.recorded_by.get_username() if e.recorded_by else "")


def _username(user) -> str:
    return user.get_username() if user else ""


def _step_words(escalation: str) -> str:
    """"Serve a notice" as the object of a sentence: "serve a notice"."""
    words = dict(ESCALATION_CHOICES).get(escalation, escalation)
    return words[:1].lower() + words[1:]


def _approval_rows(tenancy: Tenancy) -> Iterable[TimelineRow]:
    # The decision is yielded before the request: on one day the sort (stable) keeps the
    # decision above the request it answered, latest first.
    for a in (Approval.objects.filter(tenancy=tenancy)
              .select_related("requested_by", "decided_by").order_by("-requested_date", "-pk")):
        what = f"To {_step_words(a.escalation)}"
        if a.decided_date is not None:
            step = "Approval refused" if a.status == "refused" else "Approval given"
            used = f"; {approval_use(a)}" if a.status == "used" else ""
            yield TimelineRow(a.decided_date, step,
                              f"{what}, at arrears of {pounds(a.arrears)}{used}",
                              a.decision_reason, _username(a.decided_by))
        yield TimelineRow(a.requested_date, "Approval requested",
                          f"{what}, at arrears of {pounds(a.arrears)}", a.request_note,
                          _username(a.requested_by))


def _assessment_rows(tenancy: Tenancy) -> Iterable[TimelineRow]:
    for a in (Assessment.objects.filter(tenancy=tenancy).select_related("assessed_by")
              .order_by("-assessed_date", "-pk")):
        conclusion = "proportionate" if a.proportionate else "not proportionate"
        yield TimelineRow(a.assessed_date, "Proportionality assessed",
                          f"Before the step to {_step_words(a.escalation)}: {conclusion}",
                          a.reasoning, _username(a.assessed_by))


def _checklist_rows(tenancy: Tenancy) -> Iterable[TimelineRow]:
    # A checklist is written once, complete (actions.complete_checklist): there is no
    # started-but-unfinished state to show.
    for c in (Checklist.objects.filter(tenancy=tenancy).select_related("completed_by", "notice")
              .order_by("-completed_date", "-pk")):
        noted = c.steps.exclude(note="").count()
        after = (f", after {NOTICE_NAMES.get(c.notice.kind, 'notice')} {c.notice.notice_ref}"
                 if c.notice else ", before a notice")
        yield TimelineRow(c.completed_date, "Pre-action checklist completed",
                          f"All {len(STEPS)} protocol steps{after}; {noted} with the "
                          "officer's note", "", _username(c.completed_by))


# Where the timeline's lines come from: a callable (tenancy) -> iterable of TimelineRow. On
# one day the sort keeps this order, so a notice served shows above the approval it used, and
# that above the assessment and checklist before it.
# Latest first within a day too: the sort is stable, so the sources run from the last step of
# a day (the court's) back to the first (the checklist).
TIMELINE_SOURCES: list[Callable[[Tenancy], Iterable[TimelineRow]]] = [
    _event_rows, _claim_rows, _notice_rows, _approval_rows, _assessment_rows, _checklist_rows,
]


def legal_timeline(tenancy: Tenancy) -> list[TimelineRow]:
    """Notices, claims, court steps, checklists, proportionality assessments and approvals
    of a tenancy, the latest first."""
    rows = [row for source in TIMELINE_SOURCES for row in source(tenancy)]
    return sorted(rows, key=lambda r: r.date, reverse=True)


class PreClaimStep(NamedTuple):
    """One step before a claim, for the legal tab: its words, page, status and whether done."""

    words: str
    page: str  # the URL name of its page
    query: str  # the page's query string ("" or "?step=...")
    status: str
    done: bool


def pre_claim_steps(tenancy: Tenancy, on: datetime.date) -> list[PreClaimStep]:
    """Where the tenancy stands on the steps before a claim on `on`: the checklist, the
    assessment and approval of the next escalation, the notice and the claim (the gates'
    own findings, so the tab and the step's page agree)."""
    from . import gates

    notice = gates.notice_for_claim(tenancy, on)
    latest = gates.latest_notice(tenancy, on)
    step = "apply_for_court" if notice is not None else "serve_notice"
    words = dict(ESCALATION_CHOICES)[step].lower()
    checklist = gates.checklist_complete(tenancy, on, notice)
    assessment = gates.proportionality_assessed(tenancy, step, on)
    approval = gates.approved(tenancy, step, on)
    notice_status = (f"served on {uk_date(latest.served_date)}; proceedings may begin "
                     f"from {uk_date(gates.notice_window(latest)[0])}" if latest is not None
                     else "no notice served")
    claim = [why for _, why in gates.needs(tenancy, "apply_for_court", on) if why]
    return [
        PreClaimStep("Pre-action checklist", "legal-checklist", "",
                     checklist or "completed", checklist is None),
        PreClaimStep(f"Proportionality assessment ({words})", "legal-assessment",
                     f"?step={step}", assessment or "recorded", assessment is None),
        PreClaimStep(f"Approval ({words})", "legal-request-approval", f"?step={step}",
                     approval or "approved, not yet used", approval is None),
        PreClaimStep("Serve a notice", "serve-notice", "", notice_status,
                     latest is not None),
        PreClaimStep("Record a possession claim", "legal-claim", "",
                     f"{len(claim)} check{'s' if len(claim) != 1 else ''} not met yet"
                     if claim else "every check met", not claim),
    ]
