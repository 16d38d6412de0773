"""No raw code on any page: every page of a demo-like landlord read as its users see it.

A small landlord is simulated, imported and classified as `openincome demo` does; every code
of every vocabulary is then put on some account (through the officer's own forms where there
is one); users of each role open every page they can reach, and the visible text of each page
(no attributes, scripts, styles or hidden inputs) must hold no snake_case code, no code-shaped
capitalisation ("Sms", "Apa", "Non secure"), no record number and no ISO date.
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from openincome.agreements.models import Agreement
from openincome.cases.actions import RECORDED_ELSEWHERE
from openincome.cases.models import (
    CONTACT_CHANNELS,
    CONTACT_OUTCOMES,
    SYSTEM_CONTACT_OUTCOMES,
    Contact,
    Pause,
    WorklistEntry,
)
from openincome.cases.nightly import run_nightly
from openincome.cases.queries import TABS
from openincome.ledger.models import Patch, RecordedAction, Tenancy, Transaction
from openincome.ledger.vocab import (
    ACTION_CHANNELS,
    ACTION_CODES,
    AGREEMENT_STATUSES,
    BENEFIT_STATUSES,
    COURT_OUTCOMES,
    ENGINE_ACTION_LABELS,
    FREQUENCIES,
    LABELS,
    NOTICE_KINDS,
    PAUSE_REASONS,
    TENURES,
    TRANSACTION_TYPES,
    label,
    signed,
)
from openincome.legal.models import CourtCase, Notice
from openincome.staff.actions import add_user

PASSWORD = "plain-english-password"


class _VisibleText(HTMLParser):
    """The text a sighted or screen-reader user meets: element text only, not attributes,
    scripts, styles or templates (hidden inputs have no text)."""

    SKIP = {"script", "style", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.chunks: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    """The page's visible text, whitespace collapsed."""
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


_BAD = [
    ("a code", re.compile(r"\S*[A-Za-z0-9]_[A-Za-z0-9]\S*")),
    ("a code's capitalisation", re.compile(
        r"\b(Sms|Apa|Nosp|Dhp|Tpd|Hb|Uc|Spo|Ppo|Fta|Dd|Non secure|Non_secure)\b")),
    ("a lower-case code", re.compile(r"\b(sms|apa|nosp|dhp|tpd|hb|uc|spo|ppo|fta|s128)\b")),
    ("a record number", re.compile(r"#\d+")),
    ("an ISO date", re.compile(r"\b\d{4}-\d{2}-\d{2}\b")),
    ("a plural slip", re.compile(r"(?<![\d.,])1 (days|weeks|tenancies|cases|matches)\b")),
    ("nested brackets", re.compile(r"\([^()]*\([^()]*\)[^()]*\)")),
]


def raw_codes(html: str) -> list[str]:
    """What on the page reads as a code rather than English ("a code: section_8", ...)."""
    text = visible_text(html)
    return [f"{what}: {m.group(0)}" for what, pattern in _BAD for m in pattern.finditer(text)]


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<p>Notice (section_8) served</p>", ["a code: (section_8)"]),
        ("<p>Outbound Sms: No answer</p>", ["a code's capitalisation: Sms"]),
        ("<li>Apa requested</li>", ["a code's capitalisation: Apa"]),
        ("<td>Non_secure</td>", ["a code: Non_secure", "a code's capitalisation: Non_secure"]),
        ("<td>Non secure</td>", ["a code's capitalisation: Non secure"]),
        ("<li>Contact made (sms): from contact log #1</li>",
         ["a lower-case code: sms", "a record number: #1"]),
        ("<td>2026-09-22</td>", ["an ISO date: 2026-09-22"]),
        ("<dd>1 Dec 2026 (1 days ago)</dd>", ["a plural slip: 1 days"]),
        ("<dd>21 days ago, 1 day ago, 0.1 weeks</dd>", []),
        ("<p>Paused (Breathing Space (standard))</p>",
         ["nested brackets: (Breathing Space (standard))"]),
        ("<option value='four_weekly'>Every four weeks</option>", []),
        ('<input type="hidden" name="as_of" value="2026-09-22"><p>22 Sep 2026</p>', []),
        ("<script>const x = {payment_dd: 1};</script><style>.a_b {}</style><p>Fine</p>", []),
        ('<a href="/tenancies/T_1/?as_of=2026-09-22" class="govuk-link">Uc claim</a>',
         ["a code's capitalisation: Uc"]),
    ],
)
def test_the_check_finds_codes_in_visible_text_only(html, found):
    assert raw_codes(html) == found


@pytest.mark.parametrize(
    "code",
    sorted({*TENURES, *CONTACT_CHANNELS, *CONTACT_OUTCOMES, *ACTION_CHANNELS, *ACTION_CODES,
            *FREQUENCIES, *TRANSACTION_TYPES, *BENEFIT_STATUSES, *AGREEMENT_STATUSES,
            *NOTICE_KINDS, *COURT_OUTCOMES, *PAUSE_REASONS, *ENGINE_ACTION_LABELS}),
)
def test_every_code_of_every_vocabulary_has_a_label_in_the_registry(code):
    assert code in LABELS
    assert raw_codes(f"<p>{label(code)}</p>") == []


@pytest.mark.parametrize(
    ("code", "shown"),
    [("a_code_added_later", "A code added later"), ("", ""), (None, ""),
     ("sms", "SMS"), ("non_secure", "Non-secure"), ("four_weekly", "Every four weeks")],
)
def test_a_label_is_words_even_for_a_code_the_registry_does_not_know(code, shown):
    assert label(code) == shown


def _client(username: str, role: str, patches=()) -> Client:
    add_user(username, role, PASSWORD, list(patches), actor="test")
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _dmy(name: str, date: datetime.date) -> dict[str, str]:
    return {f"{name}-day": str(date.day), f"{name}-month": str(date.month),
            f"{name}-year": str(date.year)}


def _build_landlord(tmp_path, today: datetime.date) -> None:
    """Simulate, import and classify a small landlord ending today, as `openincome demo`."""
    from openincome.interchange import import_folder
    from openincome.simulator import simulate

    out = tmp_path / "landlord"
    simulate(tenancies=160, years=2, seed=2026, out=out,
             start=today.replace(year=today.year - 2) + datetime.timedelta(days=1))
    import_folder(out, actor="test")


def _every_code_somewhere(officer: Client, refs: list[str], today: datetime.date) -> None:
    """Put every vocabulary's codes on some account: the officer's forms, then the records
    the forms do not make (notices, court outcomes, agreements) as the import would."""
    week_ago = today - datetime.timedelta(days=7)
    refs = iter(refs)
    ref = next(refs)
    outcomes = [o for o in CONTACT_OUTCOMES if o not in SYSTEM_CONTACT_OUTCOMES]
    for n in range(max(len(CONTACT_CHANNELS), len(outcomes))):
        response = officer.post(f"/tenancies/{ref}/contact/", {
            **_dmy("date", week_ago), "channel": CONTACT_CHANNELS[n % len(CONTACT_CHANNELS)],
            "direction": ("outbound", "inbound")[n % 2], "outcome": outcomes[n % len(outcomes)],
            "note": "Test contact"})
        assert response.status_code == 302, response.content.decode()[:3000]
    # The outcomes only the system logs (a letter Open Income sent), as the import would.
    logged = Contact.objects.filter(tenancy__tenancy_ref=ref).first()
    for outcome in SYSTEM_CONTACT_OUTCOMES:
        Contact.objects.create(tenancy=logged.tenancy, date=week_ago, channel="letter",
                               direction="outbound", outcome=outcome, officer=logged.officer)
    ref = next(refs)
    channels = ("", *ACTION_CHANNELS)
    for n in range(max(len(ACTION_CODES), len(channels))):
        code = ACTION_CODES[n % len(ACTION_CODES)]
        if code in RECORDED_ELSEWHERE:  # its own page records it; here as the import would
            RecordedAction.objects.create(tenancy=Tenancy.objects.get(tenancy_ref=ref),
                                          date=week_ago, code=code)
            continue
        response = officer.post(f"/tenancies/{ref}/action/", {
            **_dmy("date", week_ago), "code": code, "channel": channels[n % len(channels)]})
        assert response.status_code == 302
    for reason in PAUSE_REASONS:
        ref = next(refs)
        response = officer.post(f"/tenancies/{ref}/pause/", {
            "reason": reason, **_dmy("start_date", week_ago), "note": "Test pause"})
        assert response.status_code == 302
    for n, status in enumerate(BENEFIT_STATUSES):
        ref = next(refs)
        for benefit in ("uc", "hb"):
            response = officer.post(f"/tenancies/{ref}/benefit/", {
                "benefit": benefit, "claim_ref": f"TEST-{benefit.upper()}-{n}", "status": status,
                **_dmy("status_date", week_ago), "direct_to_landlord": "false",
                "expected_amount": "400.00", "frequency": FREQUENCIES[n % len(FREQUENCIES)],
                "apa_requested": "on"})
            assert response.status_code == 302
    for n, kind in enumerate(NOTICE_KINDS):
        tenancy = Tenancy.objects.get(tenancy_ref=next(refs))
        Notice.objects.create(notice_ref=f"TEST-N{n}", tenancy=tenancy, kind=kind,
                              served_date=today - datetime.timedelta(days=60))
    for n, outcome in enumerate(COURT_OUTCOMES):
        tenancy = Tenancy.objects.get(tenancy_ref=next(refs))
        CourtCase.objects.create(
            case_ref=f"TEST-C{n}", tenancy=tenancy, claim_date=today - datetime.timedelta(days=90),
            hearing_date=today - datetime.timedelta(days=30), outcome=outcome,
            outcome_date=today - datetime.timedelta(days=30),
            terms_instalment=500 if outcome in ("spo", "adjourned_on_terms") else None,
            terms_frequency="four_weekly" if outcome in ("spo", "adjourned_on_terms") else "")
    for n, status in enumerate(AGREEMENT_STATUSES):
        tenancy = Tenancy.objects.get(tenancy_ref=next(refs))
        Agreement.objects.create(
            agreement_ref=f"TEST-A{n}", tenancy=tenancy, kind="informal",
            start_date=today - datetime.timedelta(days=40), starting_balance=50_000,
            instalment=1_000, frequency=FREQUENCIES[n % len(FREQUENCIES)], status=status)
    tenancy = Tenancy.objects.get(tenancy_ref=next(refs))
    for n, tx_type in enumerate(TRANSACTION_TYPES):
        Transaction.objects.create(transaction_ref=f"TEST-T{n}", tenancy=tenancy,
                                   date=today - datetime.timedelta(days=2), type=tx_type,
                                   amount=signed(tx_type, 100))


def _account_refs(today: datetime.date) -> list[str]:
    """Accounts that between them show every state: each action, tenure, notice, court
    outcome, pause, agreement, benefit status and transaction type, a former tenancy."""
    refs: dict[str, None] = {}
    entries = WorklistEntry.objects.filter(run__as_of=today)
    for field in ("action", "tenure", "pause_reason"):
        for value in entries.order_by().values_list(field, flat=True).distinct():
            refs.setdefault(entries.filter(**{field: value}).values_list(
                "tenancy__tenancy_ref", flat=True).first())
    for queryset, field in ((Notice.objects, "kind"), (CourtCase.objects, "outcome"),
                            (Pause.objects, "reason"), (Agreement.objects, "status"),
                            (Transaction.objects, "type")):
        for value in queryset.order_by().values_list(field, flat=True).distinct():
            refs.setdefault(queryset.filter(**{field: value}).values_list(
                "tenancy__tenancy_ref", flat=True).first())
    for tenancy in Tenancy.objects.filter(benefit_claims__isnull=False).distinct()[:8]:
        refs.setdefault(tenancy.tenancy_ref)
    refs.setdefault(Tenancy.objects.filter(end_date__isnull=False).first().tenancy_ref)
    return [ref for ref in refs if ref]


def _pages(today: datetime.date) -> list[tuple[str, str]]:
    """(role, URL) of every page the roles reach, with the worklist's filters and states."""
    iso = today.isoformat()
    worklist = ["/worklist/", "/worklist/?patch=all", f"/worklist/?as_of={iso}&patch=all&page=2",
                "/worklist/?as_of=1999-01-04", "/worklist/?as_of=31/02/2026",
                *[f"/worklist/?tab={tab}&patch=all" for tab in TABS],
                *[f"/worklist/?patch=all&tenure={tenure}" for tenure in TENURES],
                *[f"/worklist/?patch=all&sort={key}&dir=asc"
                  for key in ("tenancy", "balance", "weeks", "days_since_payment", "action")]]
    entries = WorklistEntry.objects.filter(run__as_of=today)
    worklist += [f"/worklist/?patch=all&tab=all&action={action}"
                 for action in entries.order_by().values_list("action", flat=True).distinct()]
    officer = officer_user_patch = Patch.objects.order_by("code").first().code
    worklist.append(f"/worklist/?officer=officer&patch={officer_user_patch}")
    lists = ["/worklist/programme/", "/worklist/programme/?patch=all", "/search/",
             "/search/?q=Hill", "/search/?q=OI1", "/search/?q=zzzz", "/tenancies/",
             "/tenancies/?sort=ref", "/tenancies/?q=Flat", f"/tenancies/?patch={officer}",
             "/tenancies/?as_of=bad"]
    accounts = []
    for ref in _account_refs(today):
        accounts += [f"/tenancies/{ref}/", f"/tenancies/{ref}/?as_of={iso}&type=rent"]
    some = accounts[0].split("/")[2]
    forms = [f"/tenancies/{some}/{form}/" for form in
             ("contact", "action", "pause", "benefit", "details")]
    admin = ["/admin/", "/admin/users/", "/admin/users/?role=officer", "/admin/users/add/",
             "/admin/users/officer/", "/admin/users/leader/", "/admin/patches/",
             "/admin/patches/add/", f"/admin/patches/{officer}/"]
    return ([("officer", url) for url in worklist + lists + accounts + forms]
            + [("leader", url) for url in ["/worklist/?as_of=1999-01-04", "/worklist/programme/",
                                           *accounts[:6]]]
            + [("manager", url) for url in ["/worklist/?patch=all", *accounts[:2]]]
            + [("finance", url) for url in ["/tenancies/", *accounts[:6]]]
            + [("admin", url) for url in admin])


def _error_pages(officer: Client, ref: str) -> list[tuple[str, str]]:
    """Each record form sent wrong, as (URL, HTML): their error messages are pages too."""
    base = f"/tenancies/{ref}/"
    wrong = {
        "contact": {"date-day": "31", "date-month": "2", "date-year": "2026"},
        "action": {"date-day": "1", "date-month": "", "date-year": "2026"},
        "pause": {"reason": "hospital", "start_date-day": "1", "start_date-month": "1",
                  "start_date-year": "1066", "note": ""},
        "benefit": {"benefit": "uc", "status_date-year": "26", "expected_amount": "x"},
        "details": {"email": "nope", "vulnerabilities": "Not A Code", "why": ""},
    }
    return [(base + form + "/", officer.post(base + form + "/", data).content.decode())
            for form, data in wrong.items()]


@pytest.mark.django_db
def test_no_page_of_a_demo_landlord_shows_a_raw_code_or_an_iso_date(tmp_path):
    today = timezone.localdate()
    _build_landlord(tmp_path, today)
    run_nightly(today)
    patches = list(Patch.objects.order_by("code").values_list("code", flat=True))
    clients = {
        "officer": _client("officer", "officer", patches[:2]),
        "leader": _client("leader", "team_leader"),
        "manager": _client("manager", "manager"),
        "finance": _client("finance", "finance"),
        "admin": _client("admin", "admin"),
    }
    quiet = list(Tenancy.objects.filter(end_date__isnull=True).order_by("-tenancy_ref")
                 .values_list("tenancy_ref", flat=True)[:40])
    _every_code_somewhere(clients["officer"], quiet, today)
    run_nightly(today)  # the records made directly (as an import would) into the worklist

    problems: dict[str, list[str]] = {}
    pages = _pages(today)
    assert len(pages) > 80
    for role, url in pages:
        response = clients[role].get(url)
        if response.status_code != 200:
            problems[f"{role} {url}"] = [f"status {response.status_code}"]
        elif found := raw_codes(response.content.decode()):
            problems[f"{role} {url}"] = sorted(set(found))
    for url, html in _error_pages(clients["officer"], quiet[0]):
        if found := raw_codes(html):
            problems[f"officer POST {url}"] = sorted(set(found))
    login = Client().get("/login/").content.decode()
    if found := raw_codes(login):
        problems["/login/"] = found
    assert problems == {}, "\n".join(f"{page}: {', '.join(found)}"
                                     for page, found in problems.items())
