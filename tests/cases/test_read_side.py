"""One read side: the account page, the `account` command and the nightly run's stored row
give the same recommendation and the same sentences, by the same code."""

import datetime
import html

import pytest
from django.test import Client

from openincome.cases.models import WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.cases.queries import recommendation
from openincome.cli import main
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.staff.actions import add_user
from tests.cases.conftest import load_simulated

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 22)


@pytest.fixture
def simulated(tmp_path):
    """A bigger landlord than the shared one, so the ladder's steps all show."""
    load_simulated(tmp_path, tenancies=150, seed=5)


def sample() -> list[Tenancy]:
    """A tenancy for each action the nightly run gave (the ladder's variety, not 40 pages)."""
    by_action = {}
    for entry in WorklistEntry.objects.filter(run__as_of=AS_OF).select_related("tenancy"):
        by_action.setdefault(entry.action, entry.tenancy)
    assert len(by_action) >= 3
    return list(by_action.values())


def page_and_command(client: Client, tenancy: Tenancy, capsys) -> tuple[str, str]:
    page = client.get(f"/tenancies/{tenancy.tenancy_ref}/", {"as_of": AS_OF.isoformat()})
    assert page.status_code == 200
    assert main(["account", tenancy.tenancy_ref, "--as-of", AS_OF.isoformat()]) == 0
    return html.unescape(page.content.decode()), capsys.readouterr().out


def assert_agree(entry: WorklistEntry, page: str, command: str) -> None:
    rec = recommendation(entry.tenancy, AS_OF)
    assert (rec["action"], rec["explanations"], rec["block_explanations"]) == (
        entry.action, entry.explanations, entry.block_explanations)
    assert f"Recommended: {rec['action_label']}" in page
    assert f"recommendation: {rec['action_label']}" in command
    for sentence in entry.explanations:
        assert sentence in page
        assert f"  because: {sentence}" in command
    for sentence in entry.block_explanations:
        assert sentence in page
        assert f"  held back by: {sentence}" in command


def test_the_account_page_the_command_and_the_nightly_row_agree(simulated, capsys):
    run_nightly(AS_OF)
    add_user("reader1", "team_leader", "read-side-password", actor="test")
    client = Client()
    assert client.login(username="reader1", password="read-side-password")
    for tenancy in sample():
        entry = WorklistEntry.objects.get(run__as_of=AS_OF, tenancy=tenancy)
        assert_agree(entry, *page_and_command(client, tenancy, capsys))


def test_they_agree_on_a_case_changed_since_the_run(simulated, capsys):
    """A stale stored row is not shown: page and command classify now, as the next run will."""
    run_nightly(AS_OF)
    add_user("reader1", "team_leader", "read-side-password", actor="test")
    client = Client()
    assert client.login(username="reader1", password="read-side-password")
    tenancy = WorklistEntry.objects.filter(run__as_of=AS_OF).exclude(
        action__in=("none", "paused")).first().tenancy
    RecordedAction.objects.create(tenancy=tenancy, date=AS_OF, code="letter_1_sent")
    page, command = page_and_command(client, tenancy, capsys)
    again = run_nightly(AS_OF)
    assert_agree(WorklistEntry.objects.get(run=again, tenancy=tenancy), page, command)
