"""benefits.actions called directly: a claim's story is kept as dated steps with the dates
that matter, the claim row holds the latest status, bad dates are refused with nothing written,
and the claim-reference rule lives in the action so every caller keeps it."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.benefits import actions
from openincome.benefits.models import BenefitClaim, ClaimEvent
from openincome.benefits.queries import claim_story
from openincome.cases.nightly import classify_as_of
from openincome.cli import main
from openincome.interchange import import_folder
from openincome.ledger.models import Tenancy

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


@pytest.fixture
def landlord(example_folder):
    import_folder(example_folder, actor="test")


def _update(ref: str, claim_ref: str, status: str = "in_payment"):
    return actions.update_benefit(
        Tenancy.objects.get(tenancy_ref=ref), None, claim_ref=claim_ref, benefit="uc",
        status=status, status_date=D, direct_to_landlord=False, expected_amount=45_000,
        frequency="monthly", apa_requested=False, note="", as_of=D)


def test_a_new_claim_reference_makes_a_claim_and_audits_it(landlord):
    claim = _update("EX-0001", "UC-NEW-1")
    assert (claim.tenancy.tenancy_ref, claim.status) == ("EX-0001", "in_payment")
    assert AuditEvent.objects.filter(action="benefit_updated", object_ref="EX-0001").exists()


def test_the_tenancys_own_claim_is_updated_with_its_history(landlord):
    claim = _update("EX-0002", "UC-77", status="in_payment")
    assert claim.pk == BenefitClaim.objects.get(claim_ref="UC-77").pk
    assert list(claim.history.values_list("status", flat=True))[:2] == ["in_payment", "claimed"]


def test_another_tenancys_claim_reference_is_refused_and_nothing_is_written(landlord):
    events = AuditEvent.objects.count()
    with pytest.raises(actions.ClaimElsewhere, match="belongs to another tenancy"):
        _update("EX-0001", "UC-77")
    claim = BenefitClaim.objects.get(claim_ref="UC-77")
    assert (claim.tenancy.tenancy_ref, claim.status) == ("EX-0002", "claimed")
    assert AuditEvent.objects.count() == events



def test_a_status_joins_the_story_with_its_dates_and_moves_the_latest(landlord):
    event = actions.record_claim_status(
        "UC-77", None, status="awaiting", date=D - 10 * DAY, note="Evidence sent",
        as_of=D, claim_made=D - 20 * DAY, expected_first_payment=D + 15 * DAY)
    assert (event.claim_made, event.expected_first_payment) == (D - 20 * DAY, D + 15 * DAY)
    claim = BenefitClaim.objects.get(claim_ref="UC-77")
    assert (claim.status, claim.status_date) == ("awaiting", D - 10 * DAY)
    event = AuditEvent.objects.get(action="benefit_status_recorded", object_ref="UC-77")
    assert event.details["status"] == "awaiting" and event.why == "Evidence sent"


def test_a_step_told_late_joins_the_story_and_leaves_the_latest_alone(landlord):
    actions.record_claim_status("UC-77", None, status="in_payment", date=D, note="",
                                as_of=D)
    actions.record_claim_status("UC-77", None, status="awaiting", date=D - 5 * DAY,
                                note="told late", as_of=D)
    claim = BenefitClaim.objects.get(claim_ref="UC-77")
    assert (claim.status, claim.status_date) == ("in_payment", D)
    story = claim_story("UC-77", D)
    assert [s.status for s in story.steps][-2:] == ["awaiting", "in_payment"]


def test_the_status_known_on_a_date_is_the_story_as_it_stood_then(landlord):
    actions.record_claim_status("UC-77", None, status="awaiting", date=D - 10 * DAY, note="",
                                as_of=D)
    actions.record_claim_status("UC-77", None, status="in_payment", date=D, note="", as_of=D)
    assert claim_story("UC-77", D - DAY).known.status == "awaiting"
    assert claim_story("UC-77", D).known.status == "in_payment"


@pytest.mark.parametrize(("dates", "message"), [
    ({"claim_made": D, "decision_date": D - DAY}, "decision date cannot be before"),
    ({"claim_made": D + DAY}, "status cannot date from before the claim was made"),
    ({"decision_date": D, "expected_first_payment": D - DAY}, "before the decision"),
])
def test_dates_out_of_order_are_refused_and_nothing_is_written(landlord, dates, message):
    counts = (ClaimEvent.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValueError, match=message):
        actions.record_claim_status("UC-77", None, status="awaiting", date=D, note="",
                                    as_of=D, **dates)
    assert (ClaimEvent.objects.count(), AuditEvent.objects.count()) == counts
    assert BenefitClaim.objects.get(claim_ref="UC-77").status == "claimed"


def test_the_story_is_append_only(landlord):
    from openincome.common.appendonly import AppendOnlyError

    event = actions.record_claim_status("UC-77", None, status="awaiting", date=D, note="",
                                        as_of=D)
    with pytest.raises(AppendOnlyError):
        ClaimEvent.objects.filter(pk=event.pk).delete()


def test_the_engine_reads_the_status_recorded(landlord, django_capture_on_commit_callbacks):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    assert classify_as_of(D, [tenancy.pk]).row(0, named=True)["benefit_claim_pending"] is True
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_claim_status("UC-77", None, status="ended", date=D - DAY, note="",
                                    as_of=D)
    row = classify_as_of(D, [tenancy.pk]).row(0, named=True)
    assert row["benefit_claim_pending"] is False


def test_the_command_records_and_shows_a_claims_story(landlord, capsys):
    assert main(["benefit", "record", "UC-77", "--status", "awaiting", "--date",
                 str(D - DAY), "--claim-made", str(D - 30 * DAY), "--note",
                 "DWP asked for rent evidence"]) == 0
    assert "UC-77: awaiting" in capsys.readouterr().out
    assert main(["benefit", "show", "UC-77", "--as-of", str(D)]) == 0
    out = capsys.readouterr().out
    assert f"on {D} awaiting" in out and "claim made" in out and "rent evidence" in out


@pytest.mark.parametrize(("argv", "message"), [
    (["--status", "paid", "--date", "2026-11-01"], "invalid choice"),
    (["--status", "awaiting", "--date", "2026-13-01"], "is not a date"),
    (["--status", "awaiting", "--date", "2099-01-01"], "in the future"),
    (["--status", "awaiting", "--date", "2026-11-01", "--claim-made", "2026-11-05"],
     "nothing saved"),
])
def test_the_command_refuses_bad_input_with_exit_2_and_saves_nothing(landlord, capsys, argv,
                                                                     message):
    assert main(["benefit", "record", "UC-77", *argv]) == 2
    assert message in capsys.readouterr().err
    assert not ClaimEvent.objects.exists()


def test_the_command_names_an_unknown_claim(landlord, capsys):
    assert main(["benefit", "record", "NOPE-1", "--status", "awaiting", "--date",
                 "2026-11-01"]) == 2
    assert "no claim with reference 'NOPE-1'" in capsys.readouterr().err


def test_a_claims_story_exports_and_imports_back_unchanged(landlord, tmp_path):
    from openincome.interchange import export_folder

    actions.record_claim_status("UC-77", None, status="awaiting", date=D - 5 * DAY,
                                note="Evidence sent", as_of=D, claim_made=D - 30 * DAY)
    actions.record_claim_status("UC-77", None, status="in_payment", date=D, note="", as_of=D,
                                decision_date=D - DAY, expected_first_payment=D + 7 * DAY)
    export_folder(tmp_path / "out")
    text = (tmp_path / "out" / "benefit_events.csv").read_text()
    assert text.splitlines()[0] == ("claim_ref,status,date,claim_made,decision_date,"
                                    "entitlement_start,expected_first_payment,note")
    assert f"UC-77,awaiting,{D - 5 * DAY},{D - 30 * DAY},,,,Evidence sent" in text
    result = import_folder(tmp_path / "out", actor="test")
    assert result.files["benefit_events.csv"].new == 0
    assert result.files["benefit_events.csv"].unchanged == 2
    with open(tmp_path / "out" / "benefit_events.csv", "a") as out:
        out.write(f"UC-77,suspended,{D + DAY},,,,,Sanction\n")
    assert import_folder(tmp_path / "out", actor="test").files["benefit_events.csv"].new == 1
    assert claim_story("UC-77", D + DAY).known.status == "suspended"


def test_an_event_for_an_unknown_claim_is_refused_with_its_line(landlord, tmp_path):
    import shutil

    from openincome.interchange import ImportFailed
    from tests.conftest import FIXTURES

    folder = tmp_path / "in"
    shutil.copytree(FIXTURES / "interchange-small", folder)
    (folder / "benefit_events.csv").write_text(
        "claim_ref,status,date\nUC-NONE,awaiting,2026-11-01\n")
    with pytest.raises(ImportFailed) as refused:
        import_folder(folder, actor="test")
    said = [str(e) for e in refused.value.errors]
    assert len(said) == 1 and said[0].startswith("benefit_events.csv:2: claim_ref:"), said
    assert not ClaimEvent.objects.exists()


def test_the_account_page_shows_each_claims_story_and_its_status_on_the_date(landlord):
    from django.test import Client

    from openincome.staff.actions import add_user

    actions.record_claim_status("UC-77", None, status="awaiting", date=D - 5 * DAY,
                                note="Evidence sent", as_of=D, claim_made=D - 30 * DAY)
    actions.record_claim_status("UC-77", None, status="in_payment", date=D, note="", as_of=D)
    add_user("story1", "officer", "story-test-password", ["EAST"], actor="test")
    client = Client()
    assert client.login(username="story1", password="story-test-password")

    def page(as_of):
        return client.get("/tenancies/EX-0002/", {"as_of": str(as_of)}).content.decode()

    assert "awaiting a decision since 18 Nov 2026" in page(D - DAY)
    today = page(D)
    assert "since 23 Nov 2026" in today and "Evidence sent" in today
    assert "Claim made 24 Oct 2026" in today and "moj-timeline" in today


def _pending(as_of: datetime.date) -> bool:
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    row = classify_as_of(as_of, [tenancy.pk]).row(0, named=True)
    return row["benefit_claim_pending"]


def test_the_engine_reads_a_step_told_late_as_the_status_known_on_an_earlier_date(landlord):
    actions.record_claim_status("UC-77", None, status="awaiting", date=D, note="", as_of=D)
    assert _pending(D - 2 * DAY)  # still the imported "claimed"
    # Told late: the claim was in payment from five days before. The claim row keeps its
    # latest status; the engine reads the story for the days between.
    actions.record_claim_status("UC-77", None, status="in_payment", date=D - 5 * DAY,
                                note="told late", as_of=D)
    assert BenefitClaim.objects.get(claim_ref="UC-77").status == "awaiting"
    assert not _pending(D - 2 * DAY)
    assert _pending(D) and _pending(D - 6 * DAY)


def test_a_step_told_late_bumps_the_tenancys_input_version(landlord):
    from openincome.ledger.stamps import version

    actions.record_claim_status("UC-77", None, status="awaiting", date=D, note="", as_of=D)
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    before = version(tenancy.pk)
    actions.record_claim_status("UC-77", None, status="in_payment", date=D - 5 * DAY,
                                note="told late", as_of=D)
    assert version(tenancy.pk) > before
