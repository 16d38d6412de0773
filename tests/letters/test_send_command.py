"""openincome send: what it sends per template and channel, --dry-run, and bad input."""

import re

import pytest
from django.db.models import Max
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.cases.models import WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.cli import main
from openincome.ledger.models import RecordedAction, Transaction
from openincome.letters.models import Communication, OutboxItem

pytestmark = pytest.mark.django_db
LETTER_ACTIONS = ("send_letter_1", "send_reminder", "send_letter_2")


def _counts() -> tuple[int, int, int, int]:
    return (Communication.objects.count(), OutboxItem.objects.count(),
            RecordedAction.objects.count(), AuditEvent.objects.count())


def test_send_prints_per_template_and_channel_and_dry_run_saves_nothing(simulated, capsys,
                                                                        monkeypatch):
    as_of = Transaction.objects.aggregate(d=Max("date"))["d"]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: as_of)
    run_nightly(as_of)
    rows = WorklistEntry.objects.filter(run__as_of=as_of, action__in=LETTER_ACTIONS)
    action = next(a for a in LETTER_ACTIONS if rows.filter(action=a).exists())
    expected = rows.filter(action=action).count()
    before = _counts()
    assert main(["send", "--as-of", as_of.isoformat(), "--action", action, "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert f"{expected} tenancies; would send:" in dry
    assert _counts() == before
    assert main(["send", "--as-of", as_of.isoformat(), "--action", action]) == 0
    out = capsys.readouterr().out
    sent = sum(int(n) for n in re.findall(r": (\d+)$", out, re.M))
    assert sent == Communication.objects.count() > 0
    assert out.replace("sent:", "would send:") == dry
    code = {"send_letter_1": "letter_1_sent", "send_reminder": "reminder_sent",
            "send_letter_2": "letter_2_sent"}[action]
    assert RecordedAction.objects.filter(code=code, date=as_of).count() == expected


@pytest.mark.parametrize("args", [
    ["--as-of", "2026-13-01", "--action", "send_letter_1"],
    ["--as-of", "2026-11-23", "--action", "serve_notice"],
    ["--as-of", "2026-11-23", "--action", "send_letter_1", "--patch", "NOWHERE"],
    ["--as-of", "2026-11-23"],
])
def test_bad_input_exits_2_and_saves_nothing(landlord, args, capsys):
    before = _counts()
    assert main(["send", *args]) == 2
    assert capsys.readouterr().err.strip()
    assert _counts() == before


def test_a_breathing_space_holds_its_case_on_the_command_line(simulated, capsys, monkeypatch):
    from openincome.cases.models import Pause

    as_of = Transaction.objects.aggregate(d=Max("date"))["d"]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: as_of)
    run_nightly(as_of)
    row = WorklistEntry.objects.filter(run__as_of=as_of, action__in=LETTER_ACTIONS).select_related(
        "tenancy").first()
    # The Breathing Space starts after the worklist was stored: the send itself refuses.
    Pause.objects.create(tenancy=row.tenancy, reason="breathing_space_standard",
                         start_date=as_of)
    for dry in ([], ["--dry-run"]):
        assert main(["send", "--as-of", as_of.isoformat(), "--action", row.action, *dry]) == 0
        out = capsys.readouterr().out
        assert f"skipped {row.tenancy.tenancy_ref}: " in out and "Breathing Space" in out
    assert not Communication.objects.filter(tenancy=row.tenancy).exists()


@pytest.mark.parametrize("days", [180, -3])
def test_a_real_send_for_a_day_other_than_today_is_refused_and_sends_nothing(
        simulated, capsys, monkeypatch, days):
    import datetime

    today = Transaction.objects.aggregate(d=Max("date"))["d"]
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    other = today + datetime.timedelta(days=days)
    before = _counts()
    assert main(["send", "--as-of", other.isoformat(), "--action", "send_letter_1"]) == 2
    err = capsys.readouterr().err
    assert "as of today" in err and "--dry-run" in err
    assert _counts() == before
    assert not RecordedAction.objects.filter(date__gt=today).exists()
    # A dry run may look at another date; it still saves nothing.
    assert main(["send", "--as-of", other.isoformat(), "--action", "send_letter_1",
                 "--dry-run"]) == 0
    assert Communication.objects.count() == before[0]
