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
from openincome.common.dates import uk_date
from openincome.ledger.balances import statement
from openincome.ledger.models import Landlord, Tenancy
from openincome.ledger.pence import pounds
from openincome.ledger.rent_calendar import add_months
from openincome.ledger.vocab import ACTION_CODES, DEBIT_TYPES, label
from openincome.letters.pdf import render_pdf
from openincome.policy.params import PolicyParams
from openincome.policy.store import params_in_force

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
    return uk_date(day, long=True) if day else "not recorded"


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
                    "Housing Act 1985, section 83: secure tenancy (the form of the Secure "
                    "Tenancies (Notices) Regulations 1987, or substantially to the same effect)"),
    "section_8": ("Notice seeking possession of a property let on an assured tenancy",
                  "Housing Act 1988, section 8: grounds 8, 10 and 11"),
    "intro_s128": ("Notice of proceedings for possession",
                   "Housing Act 1996, section 128: introductory tenancy"),
    "notice_to_quit": ("Notice to quit", "Protection from Eviction Act 1977, section 5"),
}
# Schedule 2 to the Housing Act 1985, ground 1, in full (reference §2.1).
SECURE_GROUND_1 = ("Rent lawfully due from the tenant has not been paid or an obligation of the "
                   "tenancy has been broken or not performed.")
ADVICE = ("If you need advice about this notice, and what you should do about it, take it as "
          "quickly as possible to any of the following: Citizens Advice, a housing aid "
          "centre, a law centre or a solicitor. You may be able to get legal aid, depending "
          "on your circumstances.")
AT_COURT = ("If the case goes to court, go to the hearing: your home is at risk. The Housing "
            "Loss Prevention Advice Service gives free legal advice at the court on the day.")
WHAT_TO_DO = ("Contact us now to pay the arrears or agree a plan you can afford. If you pay "
              "the arrears or keep to an agreement, we will not need to go to court.")
BREATHING_SPACE = ("If you are in a Breathing Space or a mental health crisis moratorium under "
                   "the Debt Respite Scheme, your landlord may not take steps to recover the "
                   "rent arrears it covers while it lasts, and a notice relying on those "
                   "arrears served during it has no effect: tell us and your debt adviser.")


_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _count(n: int) -> str:
    """A number as the statutes write it: words up to ten, figures above."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def section_8_grounds(policy: PolicyParams) -> list[tuple[str, str]]:
    """Grounds 8, 10 and 11 of Schedule 2 to the Housing Act 1988 in full, as the section 8
    regime and ground 8 thresholds of `policy` have them (reference §2.2)."""
    weeks, months = (_count(policy.ground_8_threshold_weeks),
                     _count(policy.ground_8_threshold_months))
    if policy.section_8_regime == "renters_rights":
        # Reference §2.2 [S]: the quarterly and yearly limbs go, and universal credit not yet
        # received is disregarded. The enacted wording is to be checked (reference §12).
        ground_8 = (
            "Both at the date of the service of the notice under section 8 relating to the "
            "proceedings for possession and at the date of the hearing— (a) if rent is "
            f"payable monthly, at least {months} months' rent is unpaid; (b) if rent is "
            f"payable weekly or fortnightly, at least {weeks} weeks' rent is unpaid. For the "
            "purpose of this ground “rent” means rent lawfully due from the tenant; "
            "where the tenant is entitled to an award of universal credit that includes the "
            "housing costs element, any amount that was unpaid only because the tenant had "
            "not yet received the payment of that award is to be disregarded.")
    else:
        ground_8 = (
            "Both at the date of the service of the notice under section 8 of this Act "
            "relating to the proceedings for possession and at the date of the hearing— (a) if "
            f"rent is payable weekly or fortnightly, at least {weeks} weeks' rent is unpaid; "
            f"(b) if rent is payable monthly, at least {months} months' rent is unpaid; (c) if "
            "rent is payable quarterly, at least one quarter's rent is more than three months "
            "in arrears; and (d) if rent is payable yearly, at least three months' rent is "
            "more than three months in arrears; and for the purpose of this ground "
            "“rent” means rent lawfully due from the tenant.")
    return [
        ("Ground 8", ground_8),
        ("Ground 10", "Some rent lawfully due from the tenant— (a) is unpaid on the date on "
                      "which the proceedings for possession are begun; and (b) except where "
                      "subsection (1)(b) of section 8 of this Act applies, was in arrears at "
                      "the date of the service of the notice under that section relating to "
                      "those proceedings."),
        ("Ground 11", "Whether or not any rent is in arrears on the date on which proceedings "
                      "for possession are begun, the tenant has persistently delayed paying "
                      "rent which has become lawfully due."),
    ]


SECTION_8_FORMS = {"social_form_3": "Form 3 (social housing)", "renters_rights": "Form 3A"}


def _weeks(days: int) -> str:
    """A notice period as the forms write it: "2 weeks", "4 weeks", or days."""
    return f"{days // 7} weeks" if days % 7 == 0 else f"{days} days"


def _p(text: str, cls: str = "") -> str:
    return f"<p{f' class={cls}' if cls else ''}>{escape(text)}</p>"


def _numbered(n: int, heading: str, body: str) -> str:
    return f"<h2>{n}. {escape(heading)}</h2>{body}"


def _signed(notice: Notice, number: int | None = None) -> str:
    signed = _facts([("Signed on behalf of", Landlord.current().name or "the landlord"),
                     ("Name of the officer", ""), ("Date", _d(notice.served_date))])
    return _numbered(number, "Signed", signed) if number else _h2("Signed") + signed


def _nosp(notice: Notice, n: _Notice) -> str:
    """Notice of seeking possession, secure tenancy: the prescribed form's parts and notes
    to the tenant (Secure Tenancies (Notices) Regulations 1987, reference §2.1)."""
    period = _weeks(n.policy.notice_dates_by_kind["nosp_secure"]["earliest_proceedings"]["days"])
    months = n.policy.notice_dates_by_kind["nosp_secure"]["expiry"]["months"]
    return (
        "<p><strong>This notice is the first step towards requiring you to give up possession "
        "of your home. You should read it very carefully.</strong></p>"
        + _numbered(1, "To", _p(n.tenants)) + _p(ADVICE, "small")
        + _numbered(2, "The home", _p(f"{n.landlord} intends to apply to the court for an "
                                      f"order requiring you to give up possession of: "
                                      f"{n.address}."))
        + _p("If you are a secure tenant under the Housing Act 1985, you can only be required "
             "to leave your home if your landlord obtains an order for possession from the "
             "court. The order must be based on one of the grounds set out in the 1985 Act "
             "(see paragraphs 3 and 4 below). If you are willing to give up possession without "
             "a court order, tell the person who signed this notice as soon as possible and "
             "say when you would leave.", "small")
        + _numbered(3, "The ground", _p("Possession will be sought on ground 1 of Schedule 2 "
                                        "to the Housing Act 1985, which reads:")
                    + f"<blockquote>{escape(SECURE_GROUND_1)}</blockquote>")
        + _p("Whatever grounds for possession are set out in paragraph 3 of this notice, the "
             "court may allow any of the other grounds to be added at a later stage. If this "
             "is done, you will be told about it so you can argue at the hearing about the new "
             "ground, as well as the grounds set out in paragraph 3, if you want to.", "small")
        + _numbered(4, "Particulars of the ground", n.particulars)
        + _p("Before the court will grant an order on any of grounds 1 to 8 or 12 to 16, it "
             "must be satisfied that it is reasonable to require you to leave. This means "
             "that, if one of these grounds is set out in paragraph 3 of this notice, you will "
             "be able to argue at the hearing that it is not reasonable that you should have "
             "to leave, even if you accept that the ground applies.", "small")
        + _numbered(5, "When court proceedings can begin", _p(
            "Court proceedings for possession of the home can be begun on or after: "
            f"{_d(notice.earliest_proceedings_date)}."))
        + _p("Court proceedings cannot be begun before this date, which cannot be earlier "
             "than the date when your tenancy could have been brought to an end. This means "
             f"that if you have a weekly or fortnightly tenancy, there should be at least "
             f"{period} between the date this notice is given and the date in this paragraph. "
             f"After this date, court proceedings may be begun at once or at any time during "
             f"the following {months} months. Once the {months} months are up, on "
             f"{_d(notice.expiry_date)}, this notice will lapse and a new notice must be served "
             "before possession can be sought.", "small")
        + _numbered(6, "Service", n.service) + _p(WHAT_TO_DO) + _p(AT_COURT)
        + _signed(notice, 7))


def _section_8(notice: Notice, n: _Notice) -> str:
    """Form 3 (social housing), or Form 3A under the Renters' Rights Act regime: the grounds
    quoted in full, the earliest date proceedings can start and the advice to get help
    (reference §2.2)."""
    rule = n.policy.notice_dates_by_kind["section_8"]
    period = _weeks(rule["earliest_proceedings"]["days"])
    months = rule["expiry"]["months"]
    form = SECTION_8_FORMS[n.policy.section_8_regime]
    grounds = "".join(f"<p><strong>{escape(name)}:</strong> {escape(text)}</p>"
                      for name, text in section_8_grounds(n.policy)
                      if n.ground_8 or name != "Ground 8")
    relied = "grounds 8, 10 and 11" if n.ground_8 else "grounds 10 and 11"
    return (
        "<p><strong>Please read this notice very carefully. It is the first step towards "
        "asking the court for an order that you give up your home.</strong></p>"
        + _numbered(1, "To", _p(n.tenants))
        + _numbered(2, "The home", _p(f"Your landlord, {n.landlord}, intends to apply to the "
                                      "court for an order requiring you to give up possession "
                                      f"of: {n.address}."))
        + _p("If you need advice about this notice, and what you should do about it, take it "
             "immediately to Citizens Advice, a housing advice centre, a law centre or a "
             "solicitor. You may be able to get legal aid.", "small")
        + _numbered(3, "Grounds", _p(f"Your landlord intends to seek possession on {relied} "
                                     "in Schedule 2 to the Housing Act 1988, which read:")
                    + grounds)
        + _p(("If the court is satisfied that ground 8 is established, it must make an order "
              "for possession. " if n.ground_8 else "")
             + "Before the court will grant an order on ground 10 or 11, it "
             "must be satisfied that it is reasonable to require you to leave. This means "
             "that you will be able to suggest to the court that it is not reasonable that you "
             "should have to leave, even if you accept that the ground applies.", "small")
        + _numbered(4, "Why each ground is relied on", n.particulars
                    + (_p(f"Ground 8 needs at least {n.policy.ground_8_threshold_weeks} weeks' "
                          f"rent unpaid (weekly or fortnightly rent) or "
                          f"{n.policy.ground_8_threshold_months} months' (monthly rent), both "
                          "when this notice is served and at the hearing: the figures above "
                          "give the weeks of rent owed on the date of this notice. The rent "
                          "statement gives each payment due and made.") if n.ground_8 else ""))
        + _numbered(5, "The earliest date court proceedings can begin", _p(
            f"{_d(notice.earliest_proceedings_date)}."))
        + _p(f"Where the landlord seeks possession on {relied.replace(' and ', ' or ')}, "
             "court proceedings "
             f"cannot begin earlier than {period} from the date this notice is served on you. "
             f"After that date, proceedings may be begun at once but not later than {months} "
             f"months from the date on which this notice is served (by "
             f"{_d(notice.expiry_date)}). After that the notice will lapse and a new notice "
             "must be served before possession can be sought.", "small")
        + _p(BREATHING_SPACE, "small") + _h2("Service") + n.service
        + _h2("Get help now") + _p(WHAT_TO_DO) + _p(ADVICE) + _p(AT_COURT)
        + _signed(notice, 6)
        + _p(f"This notice sets out the content of the prescribed {form} and its guidance "
             "notes are served with it; check the wording against the current prescribed "
             "form before it is used.", "small"))


def _intro(notice: Notice, n: _Notice) -> str:
    """The s128 notice of proceedings (no prescribed form; the content s128 requires,
    reference §2.3)."""
    return (
        _h2("To") + _p(n.tenants) + _h2("The court will be asked for possession")
        + _p(f"{n.landlord} will ask the court to make an order for possession of "
             f"{n.address}, which you hold on an introductory tenancy.")
        + _h2("Our reasons")
        + _p("Rent lawfully due from you has not been paid, as the figures below from your "
             "rent account show. We have decided to seek possession because of these "
             "arrears.") + n.particulars
        + _h2("The earliest date proceedings can begin")
        + _p(f"{_d(notice.earliest_proceedings_date)}. This notice expires on "
             f"{_d(notice.expiry_date)}.")
        + _h2("Your right to a review")
        + _p("You may ask us to review our decision to seek possession (Housing Act 1996, "
             "section 129). You must ask within 14 days of the day this notice is served on "
             "you. The review will be carried out by someone not involved in the decision, "
             "and you may ask for a hearing.")
        + _h2("Service") + n.service + _h2("Get help now") + _p(WHAT_TO_DO) + _p(ADVICE)
        + _p(AT_COURT) + _signed(notice))


def _quit(notice: Notice, n: _Notice) -> str:
    """A notice to quit with the prescribed information (Notices to Quit etc. (Prescribed
    Information) (England) Regulations 1988, reference §2.5)."""
    return (
        _h2("To") + _p(n.tenants)
        + _p(f"{n.landlord} gives you notice to quit and deliver up possession of "
             f"{n.address} on {_d(notice.earliest_proceedings_date)}, or the day on which a "
             "complete period of your tenancy ends next after the end of four weeks from the "
             "service of this notice.")
        + n.particulars + _h2("Prescribed information")
        + _p("1. If the tenant or licensee does not leave the dwelling, the landlord or "
             "licensor must get an order for possession from the court before the tenant or "
             "licensee can lawfully be evicted. The landlord or licensor cannot apply for such "
             "an order before the notice to quit or notice to determine has run out.")
        + _p("2. A tenant or licensee who does not know if he has any right to remain in "
             "possession after a notice to quit or a notice to determine runs out can obtain "
             "advice from a solicitor. Help with all or part of the cost of legal advice and "
             "assistance may be available under the Legal Aid Scheme. He should also be able "
             "to obtain information from a Citizens Advice Bureau, a Housing Aid Centre or a "
             "rent officer.")
        + _h2("Service") + n.service + _h2("Get help now") + _p(WHAT_TO_DO) + _signed(notice))


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


# On every page of a notice not yet recorded as served (position: fixed repeats per page).
DRAFT_MARK = (
    "<div style='position: fixed; top: 95mm; left: 0; right: 0; text-align: center; "
    "transform: rotate(-30deg); font-size: 40pt; font-weight: bold; color: rgba(200,0,0,0.25)'"
    ">DRAFT – NOT SERVED</div><p style='border: 1.5pt solid #c00; padding: 2mm; "
    "font-weight: bold'>DRAFT – NOT SERVED. This notice has not been recorded as served: its "
    "checks (Breathing Space, pre-action checklist, proportionality, approval) may not be met. "
    "Record it as served in Open Income when it is given to the tenant.</p>")


class _Notice(NamedTuple):
    """What every notice prints: the parties, the particulars (the arrears) and the service."""

    policy: PolicyParams
    landlord: str
    tenants: str
    address: str
    particulars: str
    service: str
    ground_8: bool = True  # section 8: its threshold is met on the day served


def ground_8_met(tenancy: Tenancy, on: datetime.date, arrears: int, weekly: int,
                 policy: PolicyParams) -> bool:
    """Whether the arrears on the day served reach ground 8's threshold (policy data): the
    policy's weeks of rent for weekly or fortnightly rent, its months for monthly rent."""
    if not weekly:
        return False
    rent = (tenancy.charges.filter(charge_code="rent", effective_from__lte=on)
            .order_by("-effective_from").first())
    if rent is not None and rent.frequency == "monthly":
        # A month's rent from the weekly equivalent (POLICY.md §1: monthly = weekly × 52 ÷ 12).
        return arrears * 12 >= policy.ground_8_threshold_months * weekly * 52
    return arrears >= policy.ground_8_threshold_weeks * weekly


NOTICE_BODIES: dict[str, Callable[[Notice, _Notice], str]] = {
    "nosp_secure": _nosp, "section_8": _section_8, "intro_s128": _intro,
    "notice_to_quit": _quit,
}


def notice_html(notice: Notice, as_of: datetime.date | None = None) -> str:
    """A served notice as HTML, in the content of its prescribed form (or, where none is
    prescribed, what the statute requires): who, the home, the grounds in full, the arrears,
    the dates and the advice, by the policy in force on the serving day."""
    tenancy = notice.tenancy
    on = notice.served_date
    rec = recommendation(tenancy, on)
    title, law = NOTICE_TITLES.get(notice.kind, (label(notice.kind), ""))
    policy = params_in_force(on)
    if notice.kind == "section_8":
        law = f"{law} · {SECTION_8_FORMS[policy.section_8_regime]}"
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
    parts = _Notice(
        policy=policy, landlord=Landlord.current().name or "Your landlord",
        tenants=", ".join(t.full_name for t in tenancy.tenants.all()) or "The tenant",
        address=tenancy.property.address,
        particulars=(_p("The rent arrears on the date of this notice, from the rent account "
                        f"(tenancy {tenancy.tenancy_ref}):") + _facts(figures)),
        service=_facts(dates),
        ground_8=ground_8_met(tenancy, on, rec["arrears"], rec["weekly_charge"], policy))
    if notice.kind == "section_8" and not parts.ground_8:
        law = law.replace("grounds 8, 10 and 11", "grounds 10 and 11")
    body = (f"<h1>{escape(title)}</h1><p class=small>{escape(law)} · reference "
            f"{escape(notice.notice_ref)}</p>" + NOTICE_BODIES[notice.kind](notice, parts))
    if notice.pk is None:  # a draft to check and print before serving, never a record of one
        body = DRAFT_MARK + body
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


# Ladder actions that stand for a letter sent or a contact: the landlord's imported history
# (and actions recorded by hand) hold them without a letter or contact-log row behind them.
LETTER_ACTIONS = tuple(code for code in ACTION_CODES if code.endswith("_sent"))
CONTACT_ACTIONS = ("contact_made", "contact_attempted")


def _recorded(tenancy: Tenancy, as_of: datetime.date, codes: tuple[str, ...],
              logged: set[tuple[datetime.date, str]]) -> list:
    """Ladder actions of `codes` to the day, less those the app logged with their own row
    (the same day and code as a contact or letter it holds)."""
    return [a for a in tenancy.actions.filter(code__in=codes, date__lte=as_of)
            .order_by("date", "pk") if (a.date, a.code) not in logged]


def section_contacts(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Contacts with the tenant, attempted and made: the contact log and the recorded history."""
    from openincome.cases.models import CONTACT_OUTCOMES

    contacts = list(tenancy.contacts.filter(date__lte=as_of).order_by("date", "pk"))
    rows = [(c.date, [label(c.channel), label(c.direction), label(c.outcome), c.note])
            for c in contacts]
    logged = {(c.date, CONTACT_OUTCOMES.get(c.outcome, "")) for c in contacts}
    rows += [(a.date, [label(a.channel) if a.channel else "Not recorded", "Outbound",
                       label(a.code), a.note or "Recorded without a contact log entry"])
             for a in _recorded(tenancy, as_of, CONTACT_ACTIONS, logged)]
    if not rows:
        return None
    return Section("Contacts", _table(["Date", "How", "Direction", "Outcome", "Note"],
                                      _by_date(rows)))


def _by_date(rows: list[tuple[datetime.date, list[str]]]) -> list[list[str]]:
    return [[_d(day), *cells] for day, cells in sorted(rows, key=lambda r: r[0])]


def section_letters(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """Letters and messages sent: those Open Income sent, and those the history records."""
    sent = list(tenancy.communications.filter(date__lte=as_of)
                .select_related("tenant", "version__template").order_by("date", "pk"))
    rows = [(c.date, [label(c.channel), c.subject, c.tenant.full_name if c.tenant else ""])
            for c in sent]
    logged = {(c.date, c.version.template.recorded_code) for c in sent}
    rows += [(a.date, [label(a.channel) if a.channel else "Not recorded", label(a.code),
                       "Recorded in the account history (no copy held)"])
             for a in _recorded(tenancy, as_of, LETTER_ACTIONS, logged)]
    if not rows:
        return None
    return Section("Letters sent", _table(["Date", "How", "Subject", "To"], _by_date(rows)))


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


def section_approvals(tenancy: Tenancy, as_of: datetime.date) -> Section | None:
    """The approvals of each legal step under delegated authority: asked, decided, used."""
    from .models import APPROVAL_STATUSES, ESCALATION_CHOICES

    steps, statuses = dict(ESCALATION_CHOICES), dict(APPROVAL_STATUSES)
    rows = [[steps.get(a.escalation, a.escalation), f"{_d(a.requested_date)} by "
             f"{a.requested_by.get_username()}", pounds(a.arrears),
             (f"{statuses['approved'] if a.status == 'used' else statuses[a.status]} on "
              f"{_d(a.decided_date)} by {a.decided_by.get_username()}: {a.decision_reason}"
              if a.decided_by else "Waiting for a decision"),
             a.used_for or ""]
            for a in tenancy.approvals.filter(requested_date__lte=as_of)
            .select_related("requested_by", "decided_by").order_by("requested_date", "pk")]
    if not rows:
        return None
    return Section("Approvals", _table(["Step", "Asked", "Arrears then", "Decision", "Used for"],
                                       rows))


BUNDLE_SECTIONS: list[Callable[[Tenancy, datetime.date], Section | tuple | None]] = [
    section_rent_schedule, checklist_for_bundle, proportionality_for_bundle, section_approvals,
    section_notices, section_contacts, section_letters, section_agreements,
    section_income_expenditure, section_benefits, section_court_history,
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
