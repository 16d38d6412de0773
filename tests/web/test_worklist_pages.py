"""The worklist page: built per date, officer's patches by default, tabs, filters, CSV."""

import csv
import io
import re

import pytest

from openincome.cases.models import WorklistRun
from openincome.cases.nightly import run_nightly
from openincome.web.dates import FORMAT_ERROR, RANGE_ERROR

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
URL = "/worklist/"


def test_without_a_stored_run_the_page_offers_to_build_it(leader):
    page = leader.get(URL, {"as_of": AS_OF.isoformat()})
    assert page.status_code == 200
    assert b"There is no worklist for 23 November 2026 yet" in page.content
    assert b"Build the worklist" in page.content


def test_team_leader_builds_a_worklist_for_a_date(leader):
    response = leader.post("/worklist/build/", {"as_of": AS_OF.isoformat()})
    assert response.status_code == 302
    run = WorklistRun.objects.get(as_of=AS_OF)
    assert run.tenancies == 3


def test_officer_cannot_build_a_worklist(officer):
    assert officer.post("/worklist/build/", {"as_of": AS_OF.isoformat()}).status_code == 403
    assert not WorklistRun.objects.exists()


def test_officer_sees_their_patch_by_default_and_all_patches_on_request(officer):
    run_nightly(AS_OF)
    mine = officer.get(URL, {"as_of": AS_OF.isoformat(), "tab": "arrears"}).content.decode()
    assert "EX-0002" in mine and "EX-0003" not in mine  # EX-0003 is on patch WEST
    every = officer.get(URL, {"as_of": AS_OF.isoformat(), "tab": "arrears", "patch": "all"})
    assert refs_listed(every.content.decode()) == ["EX-0002", "EX-0003", "EX-0001"]


def refs_listed(page: str) -> list[str]:
    """The tenancy references of the worklist table's rows, in order."""
    table = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'href="/tenancies/([A-Z0-9-]+)/', table)


def test_csv_export_holds_the_current_view(officer):
    run_nightly(AS_OF)
    view = {"as_of": AS_OF.isoformat(), "tab": "arrears"}
    response = officer.get(URL, {**view, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    # The officer's patch only, in the page's order: an empty export cannot pass.
    assert [r["tenancy_ref"] for r in rows] == ["EX-0002", "EX-0001"]
    assert [r["tenancy_ref"] for r in rows] == refs_listed(officer.get(URL, view)
                                                           .content.decode())
    assert {r["patch"] for r in rows} == {"EAST"}


@pytest.mark.parametrize(("typed", "message"), [
    ("31/02/2026", FORMAT_ERROR), ("31 Feb 2026", FORMAT_ERROR), ("x", FORMAT_ERROR),
    ("9999-12-31", RANGE_ERROR), ("0001-01-01", RANGE_ERROR),
])
def test_a_bad_date_shows_an_error_summary(officer, typed, message):
    page = officer.get(URL, {"as_of": typed}).content.decode()
    assert "There is a problem" in page and message in page


@pytest.mark.parametrize("typed", ["23 Nov 2026", "23 November 2026", "23/11/2026",
                                   "2026-11-23"])
def test_the_as_of_date_can_be_typed_the_uk_way(officer, typed):
    page = officer.get(URL, {"as_of": typed}).content.decode()
    assert "There is a problem" not in page and "Monday 23 November 2026" in page
    listing = officer.get("/tenancies/", {"as_of": typed}).content.decode()
    assert 'value="23 Nov 2026"' in listing  # the box shows the date the UK way


def test_work_programme_groups_cases_by_action(leader):
    run_nightly(AS_OF)
    page = leader.get("/worklist/programme/", {"as_of": AS_OF.isoformat(), "patch": "all"})
    groups = page.content.decode().split("Cases needing action", 1)[1]
    rows = re.findall(r'action=(\w+)&amp;patch=all&amp;as_of=2026-11-23">([^<]+)</a></td>'
                      r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)<', groups)
    # In the ladder's order, each with its count and a link to those cases on the worklist.
    assert rows == [("send_letter_1", "Send letter 1", "1"),
                    ("send_court_warning", "Send court warning", "1"),
                    ("fta_recovery", "Former tenant arrears recovery", "1")]
    assert "3 cases need action" in groups


# The example's three rows by each sort, ascending (ties fall back to priority, then ref).
SORTED = {
    "priority": ["EX-0001", "EX-0002", "EX-0003"],
    "tenancy": ["EX-0001", "EX-0002", "EX-0003"],
    "balance": ["EX-0001", "EX-0003", "EX-0002"],
    "weeks": ["EX-0001", "EX-0002", "EX-0003"],
    "days_since_payment": ["EX-0001", "EX-0002", "EX-0003"],
    "action": ["EX-0003", "EX-0002", "EX-0001"],
}


@pytest.mark.parametrize("key", SORTED)
def test_sorting_by_each_column_orders_the_rows_both_ways(officer, key):
    run_nightly(AS_OF)
    view = {"as_of": AS_OF.isoformat(), "sort": key, "tab": "arrears", "patch": "all"}
    up = refs_listed(officer.get(URL, {**view, "dir": "asc"}).content.decode())
    down = refs_listed(officer.get(URL, {**view, "dir": "desc"}).content.decode())
    assert up == SORTED[key]
    assert sorted(down) == sorted(up) and len(up) == 3


def test_team_leader_filters_by_officer_to_see_that_officers_patches(leader, officer):
    run_nightly(AS_OF)
    page = leader.get(URL, {"as_of": AS_OF.isoformat(), "tab": "arrears",
                            "officer": "officer1"}).content.decode()
    assert "EX-0002" in page and "EX-0003" not in page
    assert '<option value="officer1" selected>' in page


def test_the_action_filter_offers_version_2s_actions(officer):
    run_nightly(AS_OF)
    page = officer.get(URL, {"as_of": AS_OF.isoformat()}).content.decode()
    for label in ("Prepare for the hearing", "Warn that the court order is broken",
                  "Apply to fix a possession date", "Chase the eviction date",
                  "End the garage tenancy"):
        assert f">{label}</option>" in page, label


def test_rows_show_the_flags_the_owning_apps_add(officer):
    """The UC flag comes from the benefits app and the hearing from legal (cases.queries
    .add_flag): a row shows each."""
    import datetime

    from openincome.ledger.models import Tenancy
    from openincome.legal.models import CourtCase

    CourtCase.objects.create(case_ref="CC-FLAG-1", tenancy=Tenancy.objects.get(
        tenancy_ref="EX-0001"), claim_date=AS_OF - datetime.timedelta(days=30),
        hearing_date=AS_OF + datetime.timedelta(days=10))
    run_nightly(AS_OF)
    page = officer.get(URL, {"as_of": AS_OF.isoformat(), "tab": "arrears"}).content.decode()
    table = page.split('<tbody class="govuk-table__body">', 1)[1].split("</tbody>", 1)[0]
    rows = {ref: row for row in table.split("</tr>")
            for ref in re.findall(r'href="/tenancies/([A-Z0-9-]+)/', row)[:1]}
    assert "UC" in rows["EX-0002"] and "UC" not in rows["EX-0001"]
    assert "Court 03 Dec" in rows["EX-0001"] and "Court" not in rows["EX-0002"]
