"""The nightly run's after-run hooks (cases.nightly.add_after_run): run after a scheduled
run is stored, not after a run made only to be read, and a failing hook leaves the run
standing and says so."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases import nightly
from openincome.cases.models import WorklistRun
from openincome.cases.nightly import add_after_run, run_nightly
from openincome.interchange import import_folder

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 11, 23)


@pytest.fixture
def example(example_folder):
    """The three-tenancy example folder, imported."""
    import_folder(example_folder, actor="test")


@pytest.fixture
def hooks(monkeypatch):
    """An empty hook list for the test (the apps' own hooks put back after)."""
    monkeypatch.setattr(nightly, "_after_run", [])
    return nightly._after_run


def test_hooks_run_after_the_scheduled_run_only(example, hooks):
    seen = []
    def hook(run, progress):
        seen.append(run.as_of)

    add_after_run(hook)
    add_after_run(hook)  # registering twice runs it once
    run_nightly(AS_OF)
    assert seen == []
    run_nightly(AS_OF, after_run=True)
    assert seen == [AS_OF]


def test_a_failing_hook_leaves_the_run_stored_and_reports_it(example, hooks):
    heard, later = [], []

    def broken(run, progress):
        raise RuntimeError("notifier down")

    add_after_run(broken)
    add_after_run(lambda run, progress: later.append(run.pk))
    run = run_nightly(AS_OF, progress=heard.append, after_run=True)
    assert WorklistRun.objects.get(pk=run.pk).tenancies == 3
    assert later == [run.pk]  # the next hook still ran
    assert any("notifier down" in h for h in heard)
    event = AuditEvent.objects.get(action="nightly_after_run_failed")
    assert "notifier down" in event.why
