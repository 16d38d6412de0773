"""The worklist page: built per date, officer's patches by default, tabs, filters, CSV."""

import pytest

from openincome.cases.models import WorklistRun
from openincome.cases.nightly import run_nightly

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
    assert every.status_code == 200


def test_csv_export_holds_the_current_view(officer):
    run_nightly(AS_OF)
    response = officer.get(URL, {"as_of": AS_OF.isoformat(), "tab": "arrears",
                                 "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("priority,tenancy_ref")
    assert all(",EAST," in line for line in lines[1:])


def test_a_bad_date_shows_an_error_summary(officer):
    page = officer.get(URL, {"as_of": "31/02/2026"}).content.decode()
    assert "There is a problem" in page and "Enter the date as YYYY-MM-DD" in page


def test_work_programme_groups_cases_by_action(leader):
    run_nightly(AS_OF)
    page = leader.get("/worklist/programme/", {"as_of": AS_OF.isoformat(), "patch": "all"})
    assert page.status_code == 200
    assert b"Weekly work programme" in page.content


def test_sorting_by_any_column_is_accepted(officer):
    run_nightly(AS_OF)
    for key in ("priority", "tenancy", "balance", "weeks", "days_since_payment", "action"):
        for direction in ("asc", "desc"):
            response = officer.get(URL, {"as_of": AS_OF.isoformat(), "sort": key,
                                         "dir": direction, "tab": "arrears", "patch": "all"})
            assert response.status_code == 200, key


def test_team_leader_filters_by_officer_to_see_that_officers_patches(leader, officer):
    run_nightly(AS_OF)
    page = leader.get(URL, {"as_of": AS_OF.isoformat(), "tab": "arrears",
                            "officer": "officer1"}).content.decode()
    assert "EX-0002" in page and "EX-0003" not in page
    assert '<option value="officer1" selected>' in page
