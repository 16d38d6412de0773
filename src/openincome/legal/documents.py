"""The legal app's documents, rendered with the letters' PDF code (WeasyPrint, A4):
the notices (NOSP s83, section 8 Form 3, s128, s125A, notice to quit) with the arrears
figures and their computed dates, the PD 55B rent schedule, the hearing pack and the court
bundle.

The court bundle is built from `BUNDLE_SECTIONS`: callables `(tenancy, as_of) -> Section |
None`, each one part a district judge reads (None: nothing to show). Other parts of the legal
app add theirs to the list (a plain `(title, html)` tuple fits `Section`).
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import NamedTuple

from django.utils.html import escape

from openincome.cases.queries import recommendation
from openincome.ledger.balances import statement
from openincome.ledger.models import Landlord, Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.rent_calendar import add_months
from openincome.ledger.vocab import DEBIT_TYPES, label
from openincome.letters.pdf import render_pdf

from .gates import notice_window
from .models import COURT_EVENT_LABELS, CourtCase, CourtEvent, Notice
from .queries import checklist_for_bundle, proportionality_for_bundle

SCHEDULE_YEARS = 2  # PD 55B para 6.3A: two years before issue, or from the first default


class Section(NamedTuple):
    """One part of the court bundle: its heading and its HTML body."""

    title: str
    html: str


CSS = """
@page { size: A4; margin: 18mm 16mm; @bottom-right { content: counter(page); font-size: 9pt; } }
body { font-family: 'Liberation Sans', 'DejaVu Sans', sans-serif; font-size: 10.5pt; }
h1 { font-size: 17pt; margin: 0 0 6mm; } h2 { font-size: 13pt; margin: 7mm 0 3mm; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; }
th, td { border-bottom: 0.3pt solid #999; padding: 1.2mm 1.5mm; text-align: left; }
td.n, th.n { text-align: right; } .section { page-break-before: always; }
table.facts th { width: 62mm; font-weight: bold; } table.facts { font-size: 10pt; }
.small { font-size: 8.5pt; color: #333; }
"""


def _d(day: datetime.date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else "not recorded"


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>"
            f"{escape(title)}</title><style>{CSS}</style></head><body>{body}</body></html>")


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th{' class=n' if i in numeric else ''}>{escape(h)}</th>"
                   for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(f"<td{' class=n' if i in numeric else ''}>{escape(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _facts(pairs: list[tuple[str, str]]) -> str:
    rows = "".join(f"<tr><th scope=row>{escape(k)}</th><td>{escape(v)}</td></tr>"
                   for k, v in pairs)
    return f"<table class=facts>{rows}</table>"


def _parties(tenancy: Tenancy) -> list[tuple[str, str]]:
    return [("Landlord", Landlord.current().name or "The landlord"),
            ("Tenants", ", ".join(t.full_name for t in tenancy.tenants.all()) or "none named"),
            ("Property", tenancy.property.address), ("Tenancy", tenancy.tenancy_ref)]


# --- the PD 55B rent schedule ------------------------------------------------------------

class ScheduleLine(NamedTuple):
    """One row of the rent schedule (pence)."""

    date: datetime.date
    what: str
    due: int
    paid: int
    balance: int


def schedule_start(tenancy: Tenancy, as_of: datetime.date,
                   issued: datetime.date | None = None) -> datetime.date:
    """The schedule's first day: the first default (arrears began), but at most two years
    before the claim's issue (PD 55B para 6.3A)."""
    limit = add_months(issued or as_of, -12 * SCHEDULE_YEARS)
    began = recommendation(tenancy, as_of).get("episode_start")
    if isinstance(began, str):
        began = datetime.date.fromisoformat(began)
    return max(began or limit, limit, tenancy.start_date)


def rent_schedule(tenancy: Tenancy, as_of: datetime.date,
                  issued: datetime.date | None = None) -> tuple[int, list[ScheduleLine]]:
    """Every charge and payment from the schedule's start to `as_of`, with the running
    balance; the opening balance first."""
    since = schedule_start(tenancy, as_of, issued)
    opening, lines = statement(tenancy, as_of, since)
    rows = []
    for line in lines:
        tx = line.transaction
        debit = tx.type in DEBIT_TYPES
        rows.append(ScheduleLine(tx.date, label(tx.type), tx.amount if debit else 0,
                                 0 if debit else -tx.amount, line.running_balance))
    return opening, rows


def rent_schedule_csv(tenancy: Tenancy, as_of: datetime.date,
                      issued: datetime.date | None = None) -> str:
    """The rent schedule as CSV (pounds and pence, ISO dates)."""
    opening, rows = rent_schedule(tenancy, as_of, issued)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["date", "description", "due", "paid", "balance"])
    start = schedule_start(tenancy, as_of, issued)
    writer.writerow([start.isoformat(), "Balance brought forward", "", "", f"{opening / 100:.2f}"])
    for r in rows:
        writer.writerow([r.date.isoformat(), r.what, f"{r.due / 100:.2f}" if r.due else "",
                         f"{r.paid / 100:.2f}" if r.paid else "", f"{r.balance / 100:.2f}"])
    return out.getvalue()


def _schedule_html(tenancy: Tenancy, as_of: datetime.date,
                   issued: datetime.date | None = None) -> str:
    opening, rows = rent_schedule(tenancy, as_of, issued)
    start = schedule_start(tenancy, as_of, issued)
    table = _table(["Date", "Description", "Due", "Paid", "Balance"],
                   [[_d(start), "Balance brought forward", "", "", pounds(opening)]]
                   + [[_d(r.date), r.what, pounds(r.due) if r.due else "",
                       pounds(r.paid) if r.paid else "", pounds(r.balance)] for r in rows],
                   numeric={2, 3, 4})
    closing = rows[-1].balance if rows else opening
    return (f"<p>Every charge and payment from {_d(start)} to {_d(as_of)}, with the running "
            f"balance (PD 55B para 6.3A). Balance on {_d(as_of)}: {pounds(closing)}.</p>"
            + table)


def rent_schedule_pdf(tenancy: Tenancy, as_of: datetime.date,
                      issued: datetime.date | None = None) -> bytes:
    """The rent schedule as a PDF, headed with the parties."""
    body = ("<h1>Rent schedule</h1>" + _facts(_parties(tenancy))
            + _schedule_html(tenancy, as_of, issued))
    return render_pdf(_page(f"Rent schedule {tenancy.tenancy_ref}", body))


# --- notices ------------------------------------------------------------------------------

NOTICE_TITLES = {
    "nosp_secure": ("Notice of seeking possession",
                    "Housing Act 1985, section 83: secure tenancy"),
    "section_8": ("Notice seeking possession of a property let on an assured tenancy",
                  "Housing Act 1988, section 8 (Form 3): grounds 8, 10 and 11"),
    "intro_s128": ("Notice of proceedings for possession",
                   "Housing Act 1996, section 128: introductory tenancy"),
    "notice_to_quit": ("Notice to quit", "Protection from Eviction Act 1977, section 5"),
}
NOTICE_GROUNDS = {
    "nosp_secure": "Ground 1 (Housing Act 1985, Schedule 2): rent lawfully due from the tenant "
                   "has not been paid.",
    "section_8": "Ground 8: at the date of this notice and of the hearing at least eight weeks' "
                 "rent (two months' if rent is paid monthly) is unpaid. Ground 10: some rent "
                 "lawfully due is unpaid on the date of this notice and when proceedings "
                 "begin. Ground 11: the tenant has persistently delayed paying rent.",
    "intro_s128": "The landlord has decided to seek possession because rent lawfully due has "
                  "not been paid. You may ask for a review of this decision within 14 days of "
                  "service (section 129).",
    "notice_to_quit": "The landlord gives notice to quit and deliver up possession of the "
                      "premises.",
}


def notice_html(notice: Notice, as_of: datetime.date | None = None) -> str:
    """A served notice as HTML: who, what property, the ground, the arrears and the dates."""
    tenancy = notice.tenancy
    on = notice.served_date
    rec = recommendation(tenancy, on)
    title, law = NOTICE_TITLES.get(notice.kind, (label(notice.kind), ""))
    method = dict(Notice._meta.get_field("method").choices).get(notice.method, "")
    figures = [("Rent arrears on the date of this notice", pounds(rec["arrears"])),
               ("Balance of the account", pounds(rec["balance"])),
               ("Rent and charges a week", pounds(rec["weekly_charge"]))]
    if rec["weekly_charge"]:
        figures.append(("Weeks of rent owed", f"{rec['arrears'] / rec['weekly_charge']:.1f}"))
    dates = [("Served", _d(on) + (f" ({method.lower()})" if method else "")),
             ("Deemed served", _d(notice.deemed_service_date or on)),
             ("Proceedings may begin on or after", _d(notice.earliest_proceedings_date)),
             ("This notice expires on", _d(notice.expiry_date))]
    body = (f"<h1>{escape(title)}</h1><p class=small>{escape(law)} · reference "
            f"{escape(notice.notice_ref)}</p>" + _facts(_parties(tenancy))
            + f"<h2>Grounds</h2><p>{escape(NOTICE_GROUNDS.get(notice.kind, ''))}</p>"
            + "<h2>The arrears</h2>" + _facts(figures) + "<h2>Dates</h2>" + _facts(dates)
            + "<h2>What you should do</h2><p>Contact us now to pay the arrears or agree a plan "
            "you can afford. Get free advice from Citizens Advice, Shelter or your council. "
            "If you pay the arrears or keep to an agreement, we will not need to go to court."
            "</p>")
    return _page(f"{title} {notice.notice_ref}", body)


def notice_pdf(notice: Notice) -> bytes:
    """The notice as a PDF."""
    return render_pdf(notice_html(notice))


def extension_notice_html(event: CourtEvent) -> str:
    """The s125A notice extending an introductory tenancy's trial by six months."""
    body = ("<h1>Notice of extension of trial period</h1><p class=small>Housing Act 1996, "
            "section 125A: introductory tenancy</p>" + _facts(_parties(event.tenancy))
            + f"<h2>Our decision</h2><p>{escape(event.summary)}.</p>"
            + f"<h2>Our reasons</h2><p>{escape(event.note)}</p>"
            + "<h2>Your right to a review</h2><p>You may ask us to review this decision "
            "(section 125B). You must ask within 14 days of the day this notice is served on "
            f"you. Served on {_d(event.date)}.</p>")
    return _page("Notice of extension of trial period", body)


# --- court bundle -------------------------------------------------------------------------

def _case(tenancy: Tenancy, as_of: datetime.date) -> CourtCase | None:
    return (CourtCase.objects.filter(tenancy=tenancy, claim_date__lte=as_of)
            .order_by("-claim_date", "-pk").first())


def section_rent_schedule(tenancy: Tenancy, as_of: datetime.date) -> Section:
    """The PD 55B rent schedule since arrears began."""
    case = _case(tenancy, as_of)
    return Section("Rent schedule", _schedule_html(tenancy, as_of,
                                                   case.claim_date if case else None))


def section_notices(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Notices served, with service and dates (an imported notice without its proceedings
    and expiry dates shows the policy's, as the gates and the engine read it)."""
    rows = [[n.notice_ref, label(n.kind), _d(n.served_date),
             dict(Notice._meta.get_field("method").choices).get(n.method, "not recorded"),
             _d(n.deemed_service_date), *(_d(day) for day in notice_window(n))]
            for n in tenancy.notices.filter(served_date__lte=as_of).order_by("served_date")]
    if not rows:
        return None
    return Section("Notices served", _table(
        ["Reference", "Notice", "Served", "How", "Deemed served", "Proceedings from",
         "Expires"], rows))


def section_contacts(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Contacts with the tenant, attempted and made."""
    rows = [[_d(c.date), label(c.channel), label(c.direction), label(c.outcome), c.note]
            for c in tenancy.contacts.filter(date__lte=as_of).order_by("date", "pk")]
    if not rows:
        return None
    return Section("Contacts", _table(["Date", "How", "Direction", "Outcome", "Note"], rows))


def section_letters(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Letters and messages sent."""
    rows = [[_d(c.date), label(c.channel), c.subject, c.tenant.full_name if c.tenant else ""]
            for c in tenancy.communications.filter(date__lte=as_of)
            .select_related("tenant").order_by("date", "pk")]
    if not rows:
        return None
    return Section("Letters sent", _table(["Date", "How", "Subject", "To"], rows))


def section_agreements(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Agreements offered and made, and how they ended."""
    rows = [[a.agreement_ref, _d(a.start_date), pounds(a.starting_balance),
             f"{pounds(a.instalment)} {label(a.frequency).lower()}", label(a.status),
             (f"{_d(a.end_date)}: {a.end_reason}" if a.end_date else "")]
            for a in tenancy.agreements.filter(start_date__lte=as_of).order_by("start_date")]
    if not rows:
        return None
    return Section("Agreements and breaches", _table(
        ["Reference", "Start", "Arrears then", "Instalment", "Status", "Ended"], rows))


def section_income_expenditure(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """The tenant's completed income and expenditure statements (monthly figures)."""
    from openincome.agreements.sfs import totals

    rows = []
    for ie in tenancy.statements.filter(status="completed", completed_date__lte=as_of).order_by(
            "completed_date", "pk"):
        t = totals(ie.amounts or {})
        household = (f"{ie.adults} adult{'' if ie.adults == 1 else 's'}, {ie.children} "
                     f"child{'' if ie.children == 1 else 'ren'}")
        rows.append([_d(ie.completed_date), household,
                     pounds(t.income), pounds(t.deductions + t.fixed + t.flexible),
                     pounds(t.priority), pounds(t.disposable)])
    if not rows:
        return None
    return Section("Income and expenditure", _table(
        ["Completed", "Household", "Income", "Deductions and costs", "Priority debts",
         "Disposable income"], rows, numeric={2, 3, 4, 5}))


def section_benefits(tenancy: Tenancy, as_of: datetime.date) -> Section:
    """The tenant's benefits position as known on the day."""
    rows = [[label(c.benefit), label(c.status), _d(c.status_date),
             {True: "Yes", False: "No"}.get(c.direct_to_landlord, "Not known"),
             pounds(c.expected_amount) if c.expected_amount else ""]
            for c in tenancy.benefit_claims.filter(status_date__lte=as_of)
            .order_by("status_date")]
    if not rows:
        return Section("Benefits position", "<p>No benefit claim is recorded.</p>")
    return Section("Benefits position", _table(
        ["Benefit", "Status", "Since", "Paid to the landlord", "Expected"], rows))


def section_court_history(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Claims, hearings, orders, warrants and applications."""
    cases = list(tenancy.court_cases.filter(claim_date__lte=as_of).order_by("claim_date"))
    if not cases:
        return None
    rows = []
    for case in cases:
        rows.append([_d(case.claim_date), f"Claim {case.case_ref} issued"])
        rows += [[_d(e.date), f"{COURT_EVENT_LABELS[e.kind]}: {e.summary}"]
                 for e in sorted(case.events.filter(date__lte=as_of),
                                 key=lambda e: (e.date, e.pk))]
    return Section("Court history", _table(["Date", "Step"], rows))


BUNDLE_SECTIONS: list[Callable[[Tenancy, datetime.date], Section | tuple | None]] = [
    section_rent_schedule, checklist_for_bundle, proportionality_for_bundle, section_notices,
    section_contacts, section_letters, section_agreements, section_income_expenditure,
    section_benefits, section_court_history,
]


def bundle_html(tenancy: Tenancy, as_of: datetime.date) -> str:
    """The court bundle: a cover with the parties and contents, then each section."""
    sections = [Section(*s) for s in (make(tenancy, as_of) for make in BUNDLE_SECTIONS) if s]
    rec = recommendation(tenancy, as_of)
    case = _case(tenancy, as_of)
    cover = ("<h1>Court bundle</h1>" + _facts(
        _parties(tenancy) + [("Claim", f"{case.case_ref}, issued {_d(case.claim_date)}"
                              if case else "none recorded"),
                             ("Arrears on " + _d(as_of), pounds(rec["arrears"])),
                             ("Rent and charges a week", pounds(rec["weekly_charge"])),
                             ("Daily rate", pounds(round(rec["weekly_charge"] / 7)))])
             + "<h2>Contents</h2><ol>" + "".join(f"<li>{escape(s.title)}</li>"
                                                 for s in sections) + "</ol>")
    parts = "".join(f"<div class=section><h2>{i}. {escape(s.title)}</h2>{s.html}</div>"
                    for i, s in enumerate(sections, 1))
    return _page(f"Court bundle {tenancy.tenancy_ref}", cover + parts)


def bundle_pdf(tenancy: Tenancy, as_of: datetime.date) -> bytes:
    """The court bundle as one PDF."""
    return render_pdf(bundle_html(tenancy, as_of))


def hearing_pack_pdf(case: CourtCase, as_of: datetime.date) -> bytes:
    """What the officer takes to the hearing: the case, the up-to-date rent schedule and the
    benefits position (POLICY.md §3.7)."""
    tenancy = case.tenancy
    benefits = section_benefits(tenancy, as_of)
    body = ("<h1>Hearing pack</h1>" + _facts(
        _parties(tenancy) + [("Claim", f"{case.case_ref}, issued {_d(case.claim_date)}"),
                             ("Hearing", f"{_d(case.hearing_date)}, "
                              f"{case.court_name or 'court not recorded'}"
                              + (f", {case.hearing_place}" if case.hearing_place else "")),
                             ("Prepared on", _d(as_of))])
            + f"<h2>Rent schedule</h2>{_schedule_html(tenancy, as_of, case.claim_date)}"
            + f"<h2>{benefits.title}</h2>{benefits.html}")
    return render_pdf(_page(f"Hearing pack {case.case_ref}", body))


def claim_summary_pdf(case: CourtCase) -> bytes:
    """The claim's particulars (PCOL-ready) as a printable summary, with the rent schedule."""
    from .pcol import claim_data

    body = ("<h1>Possession claim: particulars</h1><p class=small>For keying into Possession "
            "Claims Online (PD 55A para 2.3; the schedule follows PD 55B para 6.3A).</p>"
            + _facts(claim_data(case))
            + "<h2>Rent schedule</h2>"
            + _schedule_html(case.tenancy, case.claim_date, case.claim_date))
    return render_pdf(_page(f"Claim {case.case_ref}", body))
