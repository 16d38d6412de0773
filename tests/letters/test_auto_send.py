"""Automatic sends after the nightly run, switched on by the policy's `auto_send`: what the
policy names goes out as the system user, by the tenant's channel, once per as-of date, never
during a Breathing Space, and nothing at all in a new landlord."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.cases.models import Pause, WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.letters.auto import planned, send_automatically
from openincome.letters.models import Communication, OutboxItem
from openincome.policy.actions import add_version
from openincome.policy.defaults import DEFAULT_POLICY
from openincome.policy.store import params_in_force
from openincome.web.management.commands.demo import demo_policy

from .conftest import AS_OF

pytestmark = pytest.mark.django_db
FROM = datetime.date(2026, 1, 1)


def _policy(auto_send: dict) -> None:
    add_version(DEFAULT_POLICY.replace(auto_send=auto_send), FROM, note="test")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The nightly runs for today: AS_OF is today unless a test says otherwise."""
    day = {"today": AS_OF}
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day["today"])
    return day


def _nightly(as_of: datetime.date = AS_OF) -> None:
    call_command("nightly", as_of=as_of, verbosity=0)


def test_a_new_landlord_sends_nothing_automatically(landlord):
    assert params_in_force(AS_OF).auto_send == {}
    _nightly()
    assert not Communication.objects.exists()
    assert not AuditEvent.objects.filter(action="automatic_sends").exists()


@pytest.mark.parametrize(("auto_send", "sent_to"), [
    ({"send_letter_1": ["*"]}, ["EX-0001"]),  # every patch
    ({"send_letter_1": ["EAST"]}, ["EX-0001"]),  # EX-0001's patch
    ({"send_letter_1": ["WEST"]}, []),  # another patch: the officer sends it
    ({"send_letter_2": ["*"]}, []),  # no case is at letter 2
])
def test_the_nightly_sends_what_the_policy_names_for_its_patches(
        landlord, auto_send, sent_to, django_capture_on_commit_callbacks):
    _policy(auto_send)
    with django_capture_on_commit_callbacks(execute=True):
        _nightly()
    assert sorted(Communication.objects.values_list("tenancy__tenancy_ref", flat=True)) \
        == sent_to
    assert sorted(RecordedAction.objects.filter(code="letter_1_sent", date=AS_OF)
                  .values_list("tenancy__tenancy_ref", flat=True)) == sent_to
    for item in Communication.objects.all():
        assert (item.sent_by.username, item.channel, item.as_of) == (
            "openincome-system", "letter", AS_OF)
        assert OutboxItem.objects.filter(reference=item.reference).exists()
    summary = AuditEvent.objects.get(action="automatic_sends")
    assert summary.actor_name == "openincome-system"
    assert sum(summary.details["sent"].values()) == len(sent_to)
    if sent_to:
        # Reclassified after the send: the stored row no longer asks for letter 1.
        row = WorklistEntry.objects.get(run__as_of=AS_OF, tenancy__tenancy_ref="EX-0001")
        assert row.action != "send_letter_1"


def test_a_communication_that_records_no_ladder_step_is_never_sent_automatically(landlord):
    # EX-0003's former tenant arrears letter moves nothing on: sent nightly, it would repeat.
    _policy({"fta_recovery": ["*"]})
    _nightly()
    assert not Communication.objects.exists()
    summary = AuditEvent.objects.get(action="automatic_sends")
    assert summary.details["skipped"] == 1 and summary.details["actions"] == {"fta_recovery": 1}
    [why] = summary.details["why_not"]
    assert "records no ladder step" in why


def test_running_the_nightly_again_sends_nothing_twice(landlord):
    _policy({"send_letter_1": ["*"]})
    _nightly()
    assert Communication.objects.count() == 1
    # The row says letter 1 again (as if the freshness hook had not run): still sent once.
    run = run_nightly(AS_OF)
    WorklistEntry.objects.filter(run=run, tenancy__tenancy_ref="EX-0001").update(
        action="send_letter_1")
    assert planned(run) == {"send_letter_1": [Tenancy.objects.get(tenancy_ref="EX-0001").pk]}
    result = send_automatically(run)
    assert not result.sent and result.skipped == [("EX-0001", "Already sent for this date")]
    _nightly()
    assert Communication.objects.count() == 1
    assert RecordedAction.objects.filter(code="letter_1_sent", date=AS_OF).count() == 1


def test_a_breathing_space_stops_the_automatic_send(landlord):
    _policy({"send_letter_1": ["*"]})
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    run = run_nightly(AS_OF)
    # The space began after the row was stored (the engine would pause it): the send checks.
    Pause.objects.create(tenancy=tenancy, reason="breathing_space_standard",
                         start_date=AS_OF - datetime.timedelta(days=1))
    result = send_automatically(run)
    assert not result.sent
    assert result.skipped[0][0] == "EX-0001" and "Breathing Space" in result.skipped[0][1]
    # The nightly run itself sees the space and asks for no letter.
    _nightly()
    assert not Communication.objects.exists() and not OutboxItem.objects.exists()
    assert not RecordedAction.objects.filter(code="letter_1_sent", date=AS_OF).exists()


def test_a_run_made_only_to_be_read_sends_nothing(landlord):
    _policy({"send_letter_1": ["*"]})
    run_nightly(AS_OF)
    call_command("worklist", as_of=AS_OF, all=True, verbosity=0)
    assert not Communication.objects.exists()


def test_a_nightly_run_for_another_day_sends_nothing(landlord, capsys):
    _policy({"send_letter_1": ["*"]})
    call_command("nightly", as_of=AS_OF - datetime.timedelta(days=1))
    assert "not sending automatically" in capsys.readouterr().err
    assert not Communication.objects.exists()
    _nightly()  # today's does
    assert Communication.objects.count() == 1


@pytest.fixture
def bigger(db, tmp_path):
    """A simulated landlord big enough that the ladder asks for reminders."""
    from openincome.interchange import import_folder
    from openincome.simulator import simulate

    simulate(tenancies=300, years=2, seed=5, out=tmp_path / "landlord")
    import_folder(tmp_path / "landlord", actor="test")


def test_the_demo_policy_texts_reminders_to_tenants_with_a_mobile(bigger, today):
    as_of = datetime.date(2026, 11, 2)
    today["today"] = as_of
    demo_policy(as_of)
    demo_policy(as_of)  # a second build adds no second version
    assert params_in_force(as_of).to_dict()["auto_send"] == {"send_reminder": ["*"]}
    assert not AuditEvent.objects.filter(action="automatic_sends").exists()
    # The first day from the policy's start on which the ladder asks for a reminder (which
    # day that is depends on the simulator's accounts).
    for _ in range(28):
        run = run_nightly(as_of)
        entry = WorklistEntry.objects.filter(run=run, action="send_reminder").first()
        if entry is not None:
            break
        as_of += datetime.timedelta(days=1)
        today["today"] = as_of
    assert entry is not None, "no reminder asked for in four weeks"
    tenancy = entry.tenancy
    tenancy.preferred_channel = "sms"
    tenancy.save()
    tenancy.tenants.update(mobile="07700 900456")
    _nightly(as_of)
    items = list(Communication.objects.filter(tenancy=tenancy))
    assert items and {i.channel for i in items} == {"sms"}
    assert {i.version.template.code for i in items} == {"reminder"}
    assert RecordedAction.objects.filter(tenancy=tenancy, code="reminder_sent",
                                         date=as_of).exists()
    assert set(Communication.objects.values_list("version__template__code", flat=True)) \
        == {"reminder"}
    # Officers start the day seeing what went out by itself.
    from tests.web.conftest import _client

    patch = tenancy.property.patch.code
    page = _client("officer9", "officer", [patch]).get("/worklist/", {"as_of": as_of.isoformat()})
    assert ("Sent automatically after the nightly run: Reminder (text message) "
            f"({len(items)})") in page.content.decode()


def test_a_notifier_not_set_up_stops_the_sends_before_anything_is_stored(landlord, settings,
                                                                         monkeypatch):
    monkeypatch.delenv("OPENINCOME_NOTIFY_API_KEY", raising=False)
    settings.NOTIFIER = "notify"
    _policy({"send_letter_1": ["*"]})
    with pytest.raises(CommandError, match="OPENINCOME_NOTIFY_API_KEY") as failed:
        _nightly()
    assert failed.value.returncode == 1  # cron hears of it
    assert WorklistEntry.objects.filter(run__as_of=AS_OF).count() == 3  # the worklist stands
    assert not Communication.objects.exists()
    event = AuditEvent.objects.get(action="nightly_after_run_failed")
    assert "OPENINCOME_NOTIFY_API_KEY" in event.why


def _leader_builds(as_of: datetime.date):
    """A team leader presses Build for the date (no worklist stored for it yet)."""
    from tests.web.conftest import _client

    leader = _client("leader1", "team_leader")
    return leader.post("/worklist/build/", {"as_of": as_of.isoformat()}, follow=True)


def test_a_team_leaders_build_sends_what_the_nightly_would(landlord,
                                                           django_capture_on_commit_callbacks):
    _policy({"send_letter_1": ["*"]})
    with django_capture_on_commit_callbacks(execute=True):
        page = _leader_builds(AS_OF).content.decode()
    assert "Worklist built for 23 November 2026" in page
    item = Communication.objects.get()
    assert (item.tenancy.tenancy_ref, item.sent_by.username) == ("EX-0001", "openincome-system")
    assert OutboxItem.objects.filter(reference=item.reference).exists()
    assert RecordedAction.objects.filter(code="letter_1_sent", date=AS_OF).count() == 1
    assert AuditEvent.objects.get(action="automatic_sends").actor_name == "openincome-system"
    assert "Sent automatically after the nightly run: Letter 1 (1)" in page
    row = WorklistEntry.objects.get(run__as_of=AS_OF, tenancy__tenancy_ref="EX-0001")
    assert row.action != "send_letter_1"  # the built list shows the case moved on
    _nightly()  # the scheduled run later that day sends nothing twice
    assert Communication.objects.count() == 1


def test_a_build_for_another_day_sends_nothing(landlord):
    _policy({"send_letter_1": ["*"]})
    _leader_builds(AS_OF - datetime.timedelta(days=1))
    assert not Communication.objects.exists()


def test_a_build_whose_sends_fail_says_so_and_keeps_the_worklist(landlord, settings,
                                                                  monkeypatch):
    monkeypatch.delenv("OPENINCOME_NOTIFY_API_KEY", raising=False)
    settings.NOTIFIER = "notify"
    _policy({"send_letter_1": ["*"]})
    page = _leader_builds(AS_OF).content.decode()
    assert "Worklist built for 23 November 2026" in page
    assert "a step after it failed (automatic sends)" in page
    assert "OPENINCOME_NOTIFY_API_KEY" in page
    assert WorklistEntry.objects.filter(run__as_of=AS_OF).count() == 3
    assert not Communication.objects.exists()
