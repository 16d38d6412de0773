"""`openincome notice dates|serve`: the dates with their rules, exit 2 on bad input."""

import datetime
import functools
import json

import pytest

from openincome.legal.models import Notice

from .conftest import make_ready


@pytest.fixture
def run(command):
    return functools.partial(command, "notice")


def test_dates_as_text(landlord, run):
    code, out, err = run("dates", "EX-0001", "--kind", "nosp_secure", "--served", "2026-12-24",
                         "--method", "post")
    assert code == 0, err
    assert "Deemed served:" in out and "2026-12-30" in out and "bank holidays" in out
    assert "Earliest proceedings:" in out and "2027-01-31" in out
    assert "Expires:" in out and "2028-01-31" in out
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_dates_as_json(landlord, run):
    code, out, err = run("dates", "EX-0002", "--kind", "section_8", "--served", "2026-11-06",
                         "--method", "post", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["tenancy_ref"] == "EX-0002"
    assert data["deemed_service"]["date"] == "2026-11-10"
    assert data["earliest_proceedings"] == {
        "date": "2026-11-24",
        "rule": "14 days after deemed service (the landlord's arrears policy)."}
    assert data["expiry"]["date"] == "2027-11-10"


@pytest.mark.parametrize("argv,message", [
    (("dates", "EX-9999", "--kind", "nosp_secure", "--served", "2026-11-02", "--method",
      "hand"), "no tenancy"),
    (("dates", "EX-0001", "--kind", "s21", "--served", "2026-11-02", "--method", "hand"),
     "invalid choice"),
    (("dates", "EX-0001", "--kind", "nosp_secure", "--served", "2026-02-30", "--method",
      "hand"), "not a date"),
    (("dates", "EX-0001", "--kind", "nosp_secure", "--served", "2026-11-02", "--method",
      "fax"), "invalid choice"),
])
def test_bad_input_exits_2(landlord, run, argv, message):
    code, _, err = run(*argv)
    assert code == 2 and message in err


def test_serve_records_through_the_action(officer, leader, run):
    served = datetime.date.today() - datetime.timedelta(days=3)
    make_ready("EX-0001", "serve_notice", served, officer, leader)
    code, out, err = run("serve", "EX-0001", "--kind", "nosp_secure", "--served",
                         served.isoformat(), "--method", "hand", "--user", "officer1")
    assert code == 0, err
    notice = Notice.objects.get(tenancy__tenancy_ref="EX-0001")
    assert notice.notice_ref in out and notice.deemed_service_date == served
    assert notice.earliest_proceedings_date is not None


@pytest.mark.parametrize("kind,user,message", [
    ("section_8", "officer1", "No notice of a kind that does not fit the tenure"),
    ("nosp_secure", "finance1", "may not record notices"),
    ("nosp_secure", "nobody", "no active user"),
])
def test_serve_refusals_exit_2_and_save_nothing(officer, finance, run, kind, user, message):
    code, _, err = run("serve", "EX-0001", "--kind", kind, "--served", "2026-11-02",
                       "--method", "hand", "--user", user)
    assert code == 2 and message in err
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_serve_in_the_future_names_the_gate(officer, run):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    code, _, err = run("serve", "EX-0001", "--kind", "nosp_secure", "--served",
                       tomorrow.isoformat(), "--method", "post", "--user", "officer1")
    assert code == 2 and "No notice whose dates would be invalid" in err
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()


def test_serve_without_the_protocol_names_the_checklist_gate(officer, run):
    code, _, err = run("serve", "EX-0001", "--kind", "nosp_secure", "--served",
                       datetime.date.today().isoformat(), "--method", "hand", "--user",
                       "officer1")
    assert code == 2
    assert "nothing saved: No notice or claim without a complete pre-action checklist" in err
    assert not Notice.objects.filter(tenancy__tenancy_ref="EX-0001").exists()
