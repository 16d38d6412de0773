"""The work programme page: a week of days, moved by links or a date."""

import datetime

import pytest
from django.utils import timezone

from openincome.agreements.models import Agreement
from openincome.cases.nightly import run_nightly
from openincome.ledger.models import Tenancy
from openincome.legal.models import CourtCase

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
URL = "/worklist/programme/"
CONTACT = "/tenancies/EX-0002/contact/"


def _contact(**changes):
    return {"date": timezone.localdate().isoformat(), "channel": "phone",
            "direction": "outbound", "outcome": "spoke_to_tenant", "note": "", **changes}


# --- the week -------------------------------------------------------------------------------

def test_the_week_shows_each_day_in_uk_format_and_says_when_nothing_is_due(officer):
    page = officer.get(URL, {"as_of": "2026-12-09"}).content.decode()
    assert "Mon 7 Dec 2026 to Sun 13 Dec 2026" in page
    for day in ("Mon 7 Dec 2026", "Wed 9 Dec 2026", "Sun 13 Dec 2026"):
        assert f">{day}" in page
    assert page.count("Nothing due.") == 7


def test_entries_say_what_is_due_with_the_amount_and_link_to_the_account(officer):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    Agreement.objects.create(agreement_ref="AG-1", tenancy=tenancy, kind="informal",
                             start_date=datetime.date(2026, 11, 4), starting_balance=100000,
                             instalment=1234, frequency="weekly", status="live")
    CourtCase.objects.create(case_ref="CC-1", tenancy=tenancy, claim_date=AS_OF,
                             hearing_date=datetime.date(2026, 12, 10))
    page = officer.get(URL, {"as_of": "2026-12-07"}).content.decode()
    assert "Agreement instalment due" in page and "£12.34" in page
    assert "Court hearing" in page and "Court case CC-1" in page
    assert 'href="/tenancies/EX-0002/"' in page
    assert page.count("Nothing due.") == 5


def test_previous_and_next_week_links_keep_the_filters(officer):
    page = officer.get(URL, {"as_of": "2026-12-09", "patch": "WEST"}).content.decode()
    assert "as_of=2026-11-30" in page and "as_of=2026-12-14" in page
    assert "patch=WEST&amp;as_of=2026-12-14" in page or "as_of=2026-12-14&amp;patch=WEST" in page


def test_the_date_picker_moves_to_the_week_of_the_date(officer):
    page = officer.get(URL, {"day": "1", "month": "1", "year": "2027"}).content.decode()
    assert "Mon 28 Dec 2026 to Sun 3 Jan 2027" in page


@pytest.mark.parametrize(("query", "error"), [
    ({"day": "31", "month": "2", "year": "2027"}, "The date must be a real date"),
    ({"day": "", "month": "2", "year": "2027"}, "The date must include a day"),
    ({"day": "1", "month": "2", "year": "9999"}, "must be between 1 Jan 1900 and 31 Dec 2199"),
    ({"as_of": "0001-01-01"}, "must be between 1 Jan 1900 and 31 Dec 2199"),
    ({"as_of": "31/02/2026"}, "Enter a real date"),
])
def test_a_bad_date_shows_an_error_summary_and_this_week(officer, query, error):
    response = officer.get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    assert 'href="#week-day"' in page


def test_an_officers_call_backs_show_on_their_week(officer):
    callback = timezone.localdate() + datetime.timedelta(days=7)
    officer.post(CONTACT, _contact(callback_date=callback.isoformat()))
    page = officer.get(URL, {"as_of": callback.isoformat()}).content.decode()
    assert "Call back" in page and "Arranged by officer1" in page


def test_cases_not_contacted_are_counted_and_listed(officer, settings):
    run_nightly(AS_OF)
    page = officer.get(URL, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "Not contacted in 28 days" in page
    assert "2 cases in arrears had no contact" in page and "Never" in page
    settings.NOT_CONTACTED_DAYS = 300  # EX-0002's contact of 9 Mar 2026 is then recent
    page = officer.get(URL, {"as_of": AS_OF.isoformat()}).content.decode()
    assert "1 case in arrears had no contact in the 300 days" in page



@pytest.mark.parametrize(("as_of", "shown", "link_missing"), [
    ("1900-01-03", "Mon 1 Jan 1900 to Sun 7 Jan 1900", 'rel="prev"'),
    ("2199-12-31", "Mon 30 Dec 2199 to Tue 31 Dec 2199", 'rel="next"'),
])
def test_the_first_and_last_accepted_weeks_show_without_a_link_beyond(officer, as_of, shown,
                                                                       link_missing):
    response = officer.get(URL, {"as_of": as_of})
    assert response.status_code == 200
    page = response.content.decode()
    assert shown in page and link_missing not in page
