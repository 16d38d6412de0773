"""Every way a change arrives refreshes the stored worklist rows of the tenancies it touched:
the web forms, the import, rent posting and the command line all go through one hook
(ledger.freshness.touched), run once the change commits."""

import csv
import shutil

import pytest
from django.test import Client
from django.utils import timezone

from openincome.cases.models import WorklistEntry
from openincome.cases.nightly import classify_as_of, run_nightly
from openincome.cases.queries import stored_row
from openincome.cli import main
from openincome.interchange import import_folder
from openincome.ledger.actions import post_rent
from openincome.ledger.models import Tenancy
from openincome.staff.actions import add_user

pytestmark = pytest.mark.django_db
PASSWORD = "fresh-test-password"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def landlord(example_folder, today):
    """The example landlord with a stored worklist for today."""
    import_folder(example_folder, actor="test")
    run_nightly(today)


def stored_balance(ref: str, as_of) -> int:
    return WorklistEntry.objects.get(run__as_of=as_of, tenancy__tenancy_ref=ref).balance


def assert_fresh(ref: str, as_of) -> dict:
    """The stored row is current (its input version matches) and is what the engine says now."""
    tenancy = Tenancy.objects.get(tenancy_ref=ref)
    row = stored_row(tenancy, as_of)
    assert row is not None, f"the stored row of {ref} was left stale"
    live = classify_as_of(as_of, [tenancy.pk]).row(0, named=True)
    assert (row["balance"], row["action"], row["reasons"]) == (
        live["balance"], live["action"], live["reasons"])
    return row


def with_payment(example_folder, tmp_path, ref: str, as_of, pence: int):
    """The example folder again with one more payment on a tenancy."""
    folder = tmp_path / "more"
    shutil.copytree(example_folder, folder)
    with open(folder / "transactions.csv", "a", newline="") as out:
        csv.writer(out).writerow(["FRESH-PAY-1", ref, as_of.isoformat(), "payment_card",
                                  f"{pence / 100:.2f}", "", ""])
    return folder


def test_a_web_form_refreshes_the_row_of_its_tenancy(landlord, today,
                                                     django_capture_on_commit_callbacks):
    add_user("fresh1", "officer", PASSWORD, ["EAST"], actor="test")
    client = Client()
    assert client.login(username="fresh1", password=PASSWORD)
    before = WorklistEntry.objects.get(run__as_of=today, tenancy__tenancy_ref="EX-0002")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/tenancies/EX-0002/pause/", {
            "reason": "hospital", "start_date": today.strftime("%d/%m/%Y"),
            "note": "In hospital"})
    assert response.status_code == 302
    row = assert_fresh("EX-0002", today)
    assert before.action != "paused" and row["action"] == "paused"


def test_an_import_refreshes_the_rows_of_the_tenancies_it_changed(
        landlord, example_folder, tmp_path, today, django_capture_on_commit_callbacks):
    before = stored_balance("EX-0002", today)
    folder = with_payment(example_folder, tmp_path, "EX-0002", today, 5_000)
    with django_capture_on_commit_callbacks(execute=True):
        result = import_folder(folder, actor="test")
    assert result.touched == 1
    assert assert_fresh("EX-0002", today)["balance"] == before - 5_000


def test_rent_posting_refreshes_the_rows_of_the_tenancies_it_charged(
        landlord, today, django_capture_on_commit_callbacks):
    before = stored_balance("EX-0001", today)
    with django_capture_on_commit_callbacks(execute=True):
        result = post_rent(today, actor="test")
    assert result.posted > 0
    assert assert_fresh("EX-0001", today)["balance"] > before


def test_the_command_line_refreshes_the_rows_it_changed(
        landlord, example_folder, tmp_path, today, capsys, django_capture_on_commit_callbacks):
    before = stored_balance("EX-0001", today)
    folder = with_payment(example_folder, tmp_path, "EX-0001", today, 2_500)
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["import", str(folder)]) == 0
    assert "stored worklist: 1 tenancy classified again" in capsys.readouterr().out
    assert assert_fresh("EX-0001", today)["balance"] == before - 2_500
    with django_capture_on_commit_callbacks(execute=True):
        assert main(["post-rent", "--through", today.isoformat()]) == 0
    assert assert_fresh("EX-0001", today)["balance"] > before - 2_500


def test_a_change_rolled_back_refreshes_nothing(landlord, today,
                                                django_capture_on_commit_callbacks):
    from django.db import transaction

    from openincome.ledger.freshness import touched

    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                touched([tenancy.pk], today)
                raise RuntimeError("the change fails")
        except RuntimeError:
            pass
    assert callbacks == []
