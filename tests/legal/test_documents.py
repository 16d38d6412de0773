"""The court bundle and the notices as PDFs: text extraction shows each part is there."""

import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openincome.agreements.models import Agreement, IncomeExpenditure
from openincome.agreements.sfs import SECTIONS
from openincome.cases.actions import record_contact
from openincome.ledger.balances import balance
from openincome.ledger.models import Tenancy
from openincome.ledger.rent_calendar import add_months
from openincome.legal import documents
from openincome.legal.actions_court import record_hearing, record_outcome
from openincome.legal.models import CourtCase, Notice
from openincome.letters.actions import send_communication
from openincome.letters.pdf import pdf_text

from .conftest import AS_OF

date = datetime.date


# £1,200.00 a month on the statement's first income line.
INCOME = {SECTIONS[0][2][0][0]: 120_000}


def flat(pdf: bytes) -> str:
    """The PDF's text with its line wrapping undone."""
    return " ".join(pdf_text(pdf).split())


@pytest.fixture
def story(officer):
    """EX-0002 (its imported section 8 and UC claim) with a contact, a letter, an agreement
    and a court case with a hearing and an SPO."""
    t = Tenancy.objects.get(tenancy_ref="EX-0002")
    record_contact(t, officer, date=date(2026, 4, 2), channel="phone", direction="outbound",
                   outcome="spoke_to_tenant", note="Discussed the arrears", as_of=AS_OF)
    send_communication(t, officer, code="letter_1", as_of=date(2026, 4, 3))
    Agreement.objects.create(agreement_ref="AG-BUNDLE", tenancy=t, kind="informal",
                             start_date=date(2026, 4, 6), starting_balance=40_000,
                             instalment=1_000, frequency="weekly", status="breached")
    IncomeExpenditure.objects.create(tenancy=t, status="completed",
                                     completed_date=date(2026, 4, 6), adults=1, children=2,
                                     amounts={"food": 40_000, "credit": 5_000,
                                              **INCOME})
    case = CourtCase.objects.create(case_ref="CC-BUNDLE", tenancy=t, claim_date=date(2026, 9, 1))
    record_hearing(case, officer, hearing_date=date(2026, 10, 20), court="County Court at "
                   "Exeter", place="", as_of=AS_OF)
    record_outcome(case, officer, outcome="spo", outcome_date=date(2026, 10, 20),
                   instalment=500, frequency="weekly", as_of=AS_OF)
    return t


def test_the_court_bundle_holds_each_part(story):
    text = flat(documents.bundle_pdf(story, AS_OF))
    for title in ("Rent schedule", "Notices served", "Contacts", "Letters sent",
                  "Agreements and breaches", "Income and expenditure", "Benefits position",
                  "Court history"):
        assert f". {title}" in text, title  # a numbered section, not only the contents
    assert "Balance brought forward" in text  # the PD 55B schedule
    assert "NOT-1" in text and "16 March 2026" in text  # the notice and its service
    assert "Discussed the arrears" in text  # the contact
    assert "AG-BUNDLE" in text and "Breached" in text  # the agreement and its breach
    assert "Universal Credit" in text  # the benefit position
    assert "1 adult, 2 children" in text and "£1,200.00" in text  # the I&E: income
    assert "CC-BUNDLE" in text and "Suspended possession order" in text  # court history
    assert "County Court at Exeter" in text


def test_other_parts_of_the_legal_app_add_sections_as_plain_tuples(story, monkeypatch):
    extra = [lambda tenancy, as_of: ("Pre-action checklist", "<p>All steps done</p>"),
             lambda tenancy, as_of: None]
    monkeypatch.setattr(documents, "BUNDLE_SECTIONS", [*documents.BUNDLE_SECTIONS, *extra])
    text = flat(documents.bundle_pdf(story, AS_OF))
    assert ". Pre-action checklist" in text and "All steps done" in text


def test_a_bundle_leaves_out_parts_with_nothing_to_show(officer):
    text = flat(documents.bundle_pdf(Tenancy.objects.get(tenancy_ref="EX-0001"), AS_OF))
    assert ". Rent schedule" in text and ". Benefits position" in text
    assert ". Court history" not in text and ". Agreements and breaches" not in text


@pytest.mark.parametrize(("kind", "words"), [
    ("nosp_secure", "section 83"), ("section_8", "Ground 8"), ("intro_s128", "section 128"),
    ("notice_to_quit", "Notice to quit"),
])
def test_each_notice_kind_prints_its_law_the_arrears_and_its_dates(officer, kind, words):
    deep_arrears("EX-0001")
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    notice = Notice.objects.create(
        notice_ref=f"N-{kind}", tenancy=t, kind=kind, served_date=date(2026, 3, 2),
        method="post", deemed_service_date=date(2026, 3, 4),
        earliest_proceedings_date=date(2026, 4, 5), expiry_date=date(2027, 4, 5))
    text = flat(documents.notice_pdf(notice))
    assert words in text
    assert "4 March 2026" in text and "5 April 2026" in text and "5 April 2027" in text
    assert "Rent arrears on the date of this notice" in text



@pytest.mark.django_db
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(as_of=st.dates(date(2025, 6, 1), date(2027, 12, 31)),
       issued_back=st.integers(0, 900))
def test_the_schedule_runs_to_the_ledger_balance_within_two_years_of_issue(
        landlord, as_of, issued_back):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    issued = as_of - datetime.timedelta(days=issued_back)
    opening, rows = documents.rent_schedule(t, as_of, issued)
    start = documents.schedule_start(t, as_of, issued)
    # PD 55B 6.3A: never more than two years before issue, never before the tenancy.
    assert start >= max(add_months(issued, -24), t.start_date)
    running = opening
    for row in rows:
        assert start <= row.date <= as_of
        running += row.due - row.paid
        assert row.balance == running  # the running total adds up, to the penny
    assert running == balance(t, as_of)


def deep_arrears(ref: str) -> None:
    """Arrears far past ground 8's threshold before any notice here is served."""
    from openincome.ledger.models import Transaction

    Transaction.objects.create(transaction_ref=f"TEST-DEEP-{ref}", date=date(2026, 1, 5),
                               tenancy=Tenancy.objects.get(tenancy_ref=ref), type="rent",
                               amount=900_000)


def served(kind: str, ref: str = "EX-0001") -> Notice:
    return Notice.objects.create(
        notice_ref=f"N-{kind}", tenancy=Tenancy.objects.get(tenancy_ref=ref), kind=kind,
        served_date=date(2026, 3, 2), method="post", deemed_service_date=date(2026, 3, 4),
        earliest_proceedings_date=date(2026, 4, 5), expiry_date=date(2027, 4, 5))


def test_the_nosp_carries_the_prescribed_notes_to_the_tenant(officer):
    text = flat(documents.notice_pdf(served("nosp_secure")))
    for words in (
        "This notice is the first step towards requiring you to give up possession",
        "Citizens Advice, a housing aid centre, a law centre or a solicitor",
        "you can only be required to leave your home if your landlord obtains an order for "
        "possession from the court",
        "Rent lawfully due from the tenant has not been paid or an obligation of the tenancy "
        "has been broken or not performed.",
        "the court may allow any of the other grounds to be added at a later stage",
        "it must be satisfied that it is reasonable to require you to leave",
        "can be begun on or after: 5 April 2026",
        "there should be at least 4 weeks between the date this notice is given",
        "the following 12 months. Once the 12 months are up, on 5 April 2027, this notice will "
        "lapse",
    ):
        assert words in text, words
    # The parts in the form's order.
    assert [text.index(f"{n}. ") < text.index(f"{n + 1}. ") for n in range(1, 7)] == [True] * 6


def test_the_section_8_notice_quotes_its_grounds_in_full_with_the_earliest_date_and_advice(
        officer):
    deep_arrears("EX-0002")
    text = flat(documents.notice_pdf(served("section_8", "EX-0002")))
    for words in (
        "Form 3 (social housing)",
        "Ground 8: Both at the date of the service of the notice under section 8 of this Act",
        "at least eight weeks' rent is unpaid", "at least two months' rent is unpaid",
        "at least one quarter's rent is more than three months in arrears",
        "Ground 10: Some rent lawfully due from the tenant",
        "Ground 11: Whether or not any rent is in arrears",
        "The earliest date court proceedings can begin 5 April 2026",
        "cannot begin earlier than 2 weeks from the date this notice is served",
        "not later than 12 months from the date on which this notice is served (by 5 April "
        "2027)",
        "Get help now", "Citizens Advice", "Housing Loss Prevention Advice Service",
        "Breathing Space",
    ):
        assert words in text, words


def test_the_s128_notice_says_what_the_statute_requires(officer):
    text = flat(documents.notice_pdf(served("intro_s128")))
    for words in ("will ask the court to make an order for possession", "Our reasons",
                  "The earliest date proceedings can begin 5 April 2026",
                  "within 14 days of the day this notice is served", "Citizens Advice"):
        assert words in text, words


def test_the_notice_to_quit_carries_the_prescribed_information(officer):
    text = flat(documents.notice_pdf(served("notice_to_quit")))
    assert "must get an order for possession from the court before the tenant or licensee can " \
           "lawfully be evicted" in text
    assert "can obtain advice from a solicitor" in text
def test_an_imported_notice_without_dates_shows_the_policys_in_the_bundle(officer):
    # NOT-1, EX-0002's section 8 served on 16 March 2026, came without its dates: POLICY.md
    # §6 gives proceedings 14 days after service and expiry 12 months after service.
    section = documents.section_notices(Tenancy.objects.get(tenancy_ref="EX-0002"), AS_OF)
    assert "30 March 2026" in section.html and "16 March 2027" in section.html
    assert "not recorded" in section.html  # the deemed service date was not given


def test_a_section_8_notice_leaves_out_ground_8_below_its_threshold_on_the_day_served(
        officer):
    from openincome.cases.queries import recommendation

    notice = served("section_8", "EX-0002")
    rec = recommendation(notice.tenancy, notice.served_date)
    assert rec["arrears"] < 8 * rec["weekly_charge"]  # below the policy's 8 weeks
    text = flat(documents.notice_pdf(notice))
    assert "Ground 8" not in text and "ground 8" not in text
    assert "seek possession on grounds 10 and 11" in text
    assert "Ground 10: Some rent lawfully due" in text and "Ground 11: Whether" in text


@pytest.mark.parametrize(("weeks", "ground_8"), [(7, False), (8, True), (9, True)])
def test_ground_8_is_included_exactly_when_the_policy_threshold_is_met(officer, weeks, ground_8):
    from openincome.policy.store import params_in_force

    t = Tenancy.objects.get(tenancy_ref="EX-0002")
    policy = params_in_force(date(2026, 3, 2))
    weekly = 10_000
    assert documents.ground_8_met(t, date(2026, 3, 2), weeks * weekly, weekly, policy) is (
        ground_8)
    assert documents.ground_8_met(t, date(2026, 3, 2), weeks * weekly - 1, weekly, policy) is (
        weeks > 8)


def test_a_draft_notice_is_marked_draft_not_served_and_a_served_one_is_not(officer):
    draft = Notice(notice_ref="DRAFT", tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
                   kind="nosp_secure", served_date=date(2026, 3, 2), method="post",
                   deemed_service_date=date(2026, 3, 4),
                   earliest_proceedings_date=date(2026, 4, 5), expiry_date=date(2027, 4, 5))
    text = flat(documents.notice_pdf(draft))
    assert text.count("DRAFT – NOT SERVED") >= 2  # the mark on the page and the banner
    assert "has not been recorded as served" in text
    assert "DRAFT – NOT SERVED" not in flat(documents.notice_pdf(served("nosp_secure")))
