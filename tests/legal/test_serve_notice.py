"""serve_notice: the dates stored, the audit row, and each gate (tried and refused)."""

import datetime

import pytest
from django.db import connection

from openincome.audit.models import AuditEvent
from openincome.cases.models import Pause
from openincome.ledger.models import Tenancy
from openincome.ledger.stamps import versions
from openincome.legal.actions import GateRefused, serve_notice
from openincome.legal.models import Notice

from .conftest import AS_OF, make_ready

date = datetime.date


def tenancy(ref: str) -> Tenancy:
    return Tenancy.objects.get(tenancy_ref=ref)


def test_a_posted_nosp_is_stored_with_its_dates_and_audited(officer, leader):
    t = tenancy("EX-0001")
    make_ready("EX-0001", "serve_notice", date(2026, 11, 20), officer, leader)
    before = versions([t.pk])[t.pk]
    notice = serve_notice(t, officer, kind="nosp_secure", served=date(2026, 11, 20),
                          method="post", as_of=AS_OF)
    notice.refresh_from_db()
    # Friday 20 Nov posted: deemed Tuesday 24 Nov; + 28 days = Tue 22 Dec, in the rent week
    # Mon 21 – Sun 27 Dec.
    assert (notice.served_date, notice.method, notice.deemed_service_date,
            notice.earliest_proceedings_date, notice.expiry_date) == (
        date(2026, 11, 20), "post", date(2026, 11, 24), date(2026, 12, 27), date(2027, 12, 27))
    event = AuditEvent.objects.get(action="notice_served")
    assert event.object_ref == "EX-0001" and event.details["notice"] == notice.notice_ref
    assert "the landlord's arrears policy" in event.details["earliest_proceedings"]["rule"]
    # The notice table is an engine input: its stamp trigger survived the migration.
    assert versions([t.pk])[t.pk] > before


def test_the_stamp_trigger_of_ledger_notice_is_installed(db):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                           "AND tbl_name = 'ledger_notice'")
        else:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                           "AND tgrelid = 'ledger_notice'::regclass")
        names = {row[0] for row in cursor.fetchall()}
    assert {"ledger_notice_stamp_insert", "ledger_notice_stamp_update",
            "ledger_notice_stamp_delete"} <= names


def refused(gate: str, t: Tenancy, user, **kwargs) -> GateRefused:
    args = {"kind": "nosp_secure", "served": date(2026, 11, 20), "method": "hand",
            "as_of": AS_OF, **kwargs}
    before = Notice.objects.filter(tenancy=t).count()  # EX-0002 has an imported one
    with pytest.raises(GateRefused) as info:
        serve_notice(t, user, **args)
    assert info.value.gate == gate
    assert Notice.objects.filter(tenancy=t).count() == before
    assert not AuditEvent.objects.filter(action="notice_served").exists()
    return info.value


@pytest.mark.parametrize("reason,end", [("breathing_space_standard", None),
                                        ("breathing_space_mental_health", None),
                                        ("breathing_space_standard", date(2026, 12, 1))])
def test_no_notice_while_a_breathing_space_runs(officer, reason, end):
    t = tenancy("EX-0001")
    Pause.objects.create(tenancy=t, reason=reason, start_date=date(2026, 11, 1), end_date=end)
    exc = refused("breathing_space", t, officer)
    assert "Breathing Space" in str(exc)


def test_a_breathing_space_that_has_ended_does_not_block(officer, leader):
    t = tenancy("EX-0001")
    make_ready("EX-0001", "serve_notice", date(2026, 11, 20), officer, leader)
    # A standard one without an end date ends after its 60 days (POLICY.md §3).
    Pause.objects.create(tenancy=t, reason="breathing_space_standard",
                         start_date=date(2026, 8, 1))
    Pause.objects.create(tenancy=t, reason="bereavement", start_date=date(2026, 11, 1))
    serve_notice(t, officer, kind="nosp_secure", served=date(2026, 11, 20), method="hand",
                 as_of=AS_OF)
    assert Notice.objects.filter(tenancy=t, method="hand").count() == 1


def test_the_breathing_space_gate_comes_before_the_others(officer):
    t = tenancy("EX-0001")
    Pause.objects.create(tenancy=t, reason="breathing_space_standard",
                         start_date=date(2026, 11, 1))
    refused("breathing_space", t, officer, kind="section_8", served=date(2026, 11, 30))


def test_no_notice_served_in_the_future(officer):
    exc = refused("dates", tenancy("EX-0001"), officer, served=AS_OF + datetime.timedelta(1))
    assert "after today" in str(exc)


def test_no_notice_outside_the_tenancy(officer):
    refused("dates", tenancy("EX-0003"), officer, kind="notice_to_quit",
            served=date(2026, 3, 2))
    refused("dates", tenancy("EX-0001"), officer, served=date(2025, 5, 1))


def test_no_notice_of_a_kind_that_does_not_fit_the_tenure(officer):
    exc = refused("tenure", tenancy("EX-0002"), officer, kind="nosp_secure")
    assert "assured" in str(exc) and "section 8 notice" in str(exc)
    refused("tenure", tenancy("EX-0001"), officer, kind="section_8")


def test_an_introductory_tenancy_past_its_trial_takes_a_nosp(officer, leader):
    t = tenancy("EX-0001")
    Tenancy.objects.filter(pk=t.pk).update(tenure="introductory")
    t.refresh_from_db()
    # Started 2 Jun 2025: the trial ended 2 Jun 2026, so it is secure now.
    refused("tenure", t, officer, kind="intro_s128")
    make_ready("EX-0001", "serve_notice", date(2026, 5, 29), officer, leader)
    serve_notice(t, officer, kind="intro_s128", served=date(2026, 5, 29), method="left",
                 as_of=AS_OF)
    make_ready("EX-0001", "serve_notice", date(2026, 11, 20), officer, leader)
    serve_notice(t, officer, kind="nosp_secure", served=date(2026, 11, 20), method="left",
                 as_of=AS_OF)
    assert Notice.objects.filter(tenancy=t).count() == 2
