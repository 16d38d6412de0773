"""cases.actions called directly, as the web forms, the command line and the coming API call
them: each writes its record and its audit row, names its tenancy to the freshness hook, and
on bad input raises with nothing written."""

import datetime

import pytest

from openincome.audit.models import AuditEvent
from openincome.cases import actions
from openincome.cases.models import Contact, Pause, WorklistEntry
from openincome.cases.nightly import run_nightly
from openincome.interchange import import_folder
from openincome.ledger.models import Promise, RecordedAction, Tenancy

pytestmark = pytest.mark.django_db
D = datetime.date(2026, 11, 23)


@pytest.fixture
def landlord(example_folder):
    import_folder(example_folder, actor="test")


def tenancy(ref: str = "EX-0002") -> Tenancy:
    return Tenancy.objects.get(tenancy_ref=ref)


def written() -> tuple[int, ...]:
    """How many rows each action can write: all must stay put when an action refuses."""
    return (AuditEvent.objects.count(), Contact.objects.count(), RecordedAction.objects.count(),
            Pause.objects.count(), Promise.objects.count())


# (action, its keyword arguments, the audit action, the record it leaves)
CHANGES = [
    pytest.param(actions.record_contact,
                 dict(date=D, channel="phone", direction="outbound", outcome="spoke_to_tenant",
                      note="Talked it through"),
                 "contact_recorded", lambda t: t.contacts.get().outcome == "spoke_to_tenant",
                 id="record_contact"),
    pytest.param(actions.record_action,
                 dict(date=D, code="letter_1_sent", channel="letter", note="Posted"),
                 "action_recorded", lambda t: t.actions.filter(code="letter_1_sent").exists(),
                 id="record_action"),
    pytest.param(actions.pause_case,
                 dict(reason="hospital", start=D, end=None, note="In hospital"),
                 "case_paused", lambda t: t.pauses.filter(reason="hospital").exists(),
                 id="pause_case"),
    pytest.param(actions.record_promise,
                 dict(made_date=D, due_date=D + datetime.timedelta(days=7), amount=5_000,
                      note="Pay day"),
                 "promise_recorded", lambda t: t.promises.get().amount == 5_000,
                 id="record_promise"),
    pytest.param(actions.set_trial_end,
                 dict(trial_end=datetime.date(2026, 6, 1), why="Extended by s125A notice"),
                 "trial_end_changed",
                 lambda t: Tenancy.objects.get(pk=t.pk).trial_end_date
                 == datetime.date(2026, 6, 1), id="set_trial_end"),
]


@pytest.mark.parametrize(("action", "kwargs", "audited", "saved"), CHANGES)
def test_an_action_saves_audits_and_refreshes_its_tenancys_worklist_row(
        landlord, django_capture_on_commit_callbacks, action, kwargs, audited, saved):
    from openincome.staff.actions import add_user

    officer = add_user("actor1", "officer", "actions-test-password", ["EAST"], actor="test")
    run_nightly(D)
    case = tenancy()
    before = WorklistEntry.objects.get(run__as_of=D, tenancy=case).inputs_version
    with django_capture_on_commit_callbacks(execute=True) as hooks:
        action(case, officer, as_of=D, **kwargs)
    assert saved(case)
    event = AuditEvent.objects.get(action=audited, object_ref="EX-0002")
    assert event.actor_name == "actor1"
    assert len(hooks) == 1  # one freshness hook, run once the change commits
    after = WorklistEntry.objects.get(run__as_of=D, tenancy=case).inputs_version
    assert after != before


@pytest.mark.parametrize(("action", "kwargs", "message"), [
    (actions.record_promise, dict(made_date=D, due_date=D, amount=0, note=""), "above zero"),
    (actions.record_promise, dict(made_date=D, due_date=D - datetime.timedelta(days=1),
                                  amount=100, note=""), "before it is made"),
    (actions.set_trial_end, dict(trial_end=datetime.date(2026, 6, 1), why=" "), "reason"),
    (actions.set_trial_end, dict(trial_end=datetime.date(2020, 1, 1), why="typo"),
     "before the tenancy starts"),
])
def test_an_action_refuses_bad_input_and_writes_nothing(landlord, action, kwargs, message):
    counts = written()
    with pytest.raises(ValueError, match=message):
        action(tenancy(), None, as_of=D, **kwargs)
    assert written() == counts


def test_a_second_pause_with_the_same_reason_and_start_is_refused(landlord):
    actions.pause_case(tenancy(), None, reason="hospital", start=D, end=None, note="x", as_of=D)
    counts = written()
    with pytest.raises(ValueError, match="already starts on this date"):
        actions.pause_case(tenancy(), None, reason="hospital", start=D, end=None, note="y",
                           as_of=D)
    assert written() == counts


def test_lifting_a_pause_ends_it_the_day_given_and_audits_why(landlord):
    pause = actions.pause_case(tenancy(), None, reason="hospital", start=D, end=None,
                               note="In hospital", as_of=D)
    with pytest.raises(ValueError, match="say why"):
        actions.lift_pause(pause, None, on=D, why="", as_of=D)
    actions.lift_pause(pause, None, on=D + datetime.timedelta(days=3), why="Home", as_of=D)
    pause.refresh_from_db()
    assert pause.end_date == D + datetime.timedelta(days=3)
    assert AuditEvent.objects.get(action="pause_lifted").why == "Home"
    with pytest.raises(ValueError, match="already ends by then"):
        actions.lift_pause(pause, None, on=D + datetime.timedelta(days=5), why="again", as_of=D)


def test_changing_a_tenants_details_audits_which_fields_not_their_values(landlord):
    tenant = tenancy().tenants.first()
    actions.update_tenant_details(tenant, None, changes={"mobile": "07700 900123",
                                                         "vulnerabilities": "mental_health"},
                                  preferred_channel="sms", why="Tenant rang", as_of=D)
    event = AuditEvent.objects.get(action="tenant_details_changed")
    assert event.details == {"fields": ["mobile", "preferred_channel", "vulnerabilities"]}
    assert "07700" not in str(event.details) and "mental" not in str(event.details)
    assert tenancy().preferred_channel == "sms"
