"""`openincome court hearing|outcome|warrant-issued|eviction|evicted`: the same actions as the
web forms; bad input exits 2 with nothing saved."""

import datetime
import functools

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import main
from openincome.ledger.models import Tenancy
from openincome.legal.models import CourtCase, CourtEvent

from .conftest import make_ready


@pytest.fixture
def run(command):
    return functools.partial(command, "court")


@pytest.fixture
def case(officer):
    return CourtCase.objects.create(case_ref="CC-CLI-1", claim_date=datetime.date(2026, 9, 1),
                                    tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"))


def test_the_court_flow_from_the_command_line(case, run, officer, leader):
    # The warrant issued is bound by its application's gates: assessed and approved that day.
    make_ready("EX-0001", "apply_for_warrant", datetime.date(2026, 11, 10), officer, leader,
               checklist=False)
    steps = [
        ("hearing", "--date", "2026-10-20", "--court", "County Court at Exeter"),
        ("outcome", "--outcome", "outright", "--date", "2026-10-20", "--possession-date",
         "2026-11-03"),
        ("warrant-issued", "--date", "2026-11-10"),
        ("eviction", "--date", "2026-11-20"),
        ("evicted", "--date", "2026-11-20"),
    ]
    for step in steps:
        code, out, err = run(step[0], "CC-CLI-1", *step[1:], "--user", "officer1")
        assert code == 0, err
        assert f"{step[0]} recorded" in out
    case.refresh_from_db()
    assert (case.court_name, case.outcome, case.possession_date, case.warrant_date,
            case.eviction_date) == ("County Court at Exeter", "outright",
                                    datetime.date(2026, 11, 3), datetime.date(2026, 11, 10),
                                    datetime.date(2026, 11, 20))
    assert Tenancy.objects.get(pk=case.tenancy_id).end_date == datetime.date(2026, 11, 20)
    assert CourtEvent.objects.filter(case=case).count() == 5


def test_an_spo_with_terms_in_pounds(case, run):
    run("hearing", "CC-CLI-1", "--date", "2026-10-20", "--court", "County Court at Exeter",
        "--user", "officer1")
    code, _, err = run("outcome", "CC-CLI-1", "--outcome", "spo", "--date", "2026-10-20",
                       "--instalment", "6.50", "--frequency", "weekly", "--user", "officer1")
    assert code == 0, err
    case.refresh_from_db()
    assert (case.terms_instalment, case.terms_frequency) == (650, "weekly")


@pytest.mark.parametrize(("argv", "message"), [
    (("hearing", "CC-NONE", "--date", "2026-10-20", "--court", "X", "--user", "officer1"),
     "no court case"),
    (("hearing", "CC-CLI-1", "--date", "2026-13-20", "--court", "X", "--user", "officer1"),
     "not a date"),
    (("hearing", "CC-CLI-1", "--date", "2026-10-20", "--court", "X", "--user", "finance1"),
     "may not record"),
    (("outcome", "CC-CLI-1", "--outcome", "spo", "--date", "2026-10-20", "--instalment",
      "five", "--user", "officer1"), "not an amount"),
    (("outcome", "CC-CLI-1", "--outcome", "spo", "--date", "2026-10-20", "--user",
      "officer1"), "amount the order says"),
    (("outcome", "CC-CLI-1", "--outcome", "dismissed", "--date", "2026-10-20", "--user",
      "officer1"), "hearing first"),
    (("warrant-issued", "CC-CLI-1", "--date", "2026-10-20", "--user", "officer1"),
     "possession order"),
    (("evicted", "CC-CLI-1", "--date", "2026-10-20", "--user", "nobody"), "no active user"),
])
def test_bad_input_exits_2_and_saves_nothing(case, finance, run, argv, message):
    before = (AuditEvent.objects.count(), CourtEvent.objects.count())
    code, _, err = run(*argv)
    assert code == 2 and message in err
    assert before == (AuditEvent.objects.count(), CourtEvent.objects.count())


def test_refusals_name_the_reason(case, finance, capsys):
    code = main(["court", "warrant-issued", "CC-CLI-1", "--date", "2026-10-20", "--user",
                 "officer1"])
    err = capsys.readouterr().err
    assert code == 2 and "nothing saved" in err and "possession order" in err


def test_prepare_writes_the_pack_and_records_it(case, run, tmp_path):
    soon = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    run("hearing", "CC-CLI-1", "--date", soon, "--court", "County Court at Exeter", "--user",
        "officer1")
    code, out, err = run("prepare", "CC-CLI-1", "--user", "officer1", "--pack",
                         str(tmp_path / "pack.pdf"))
    assert code == 0, err
    assert "Hearing pack for" in out
    assert (tmp_path / "pack.pdf").read_bytes().startswith(b"%PDF")
    assert CourtEvent.objects.filter(case=case, kind="hearing_pack").count() == 1


def test_claim_data_prints_the_particulars(case, run):
    code, out, err = run("claim-data", "CC-CLI-1")
    assert code == 0, err
    assert out.startswith("field,value\nCase reference,CC-CLI-1\n")
    assert "Court fee,\"£404.00 (the HMCTS fee in force from 8 April 2025" in out


def test_bundle_writes_the_court_bundle(case, run, tmp_path):
    from openincome.letters.pdf import pdf_text

    code, out, err = run("bundle", "CC-CLI-1", "--out", str(tmp_path / "b.pdf"), "--as-of",
                         "2026-11-23")
    assert code == 0, err
    assert "Court bundle" in pdf_text((tmp_path / "b.pdf").read_bytes())
    code, _, err = run("bundle", "CC-CLI-1", "--out", str(tmp_path / "no" / "b.pdf"))
    assert code == 2 and "cannot write" in err
