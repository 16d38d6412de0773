"""Tenancy input versions: every write to an engine input bumps its tenancy's, by any path."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, models

from openincome.agreements.models import Agreement
from openincome.audit.log import record
from openincome.benefits.models import BenefitClaim
from openincome.cases.models import Contact, Pause
from openincome.interchange import import_folder
from openincome.ledger.inputs import model_of
from openincome.ledger.models import (
    Charge,
    Landlord,
    Patch,
    RecordedAction,
    RentFreeWeek,
    Tenancy,
    TenancyStamp,
    Tenant,
    Transaction,
)
from openincome.ledger.stamp_triggers import trigger_names
from openincome.ledger.stamps import version, versions
from openincome.legal.models import CourtCase, Notice

from .factories import make_tenancy

pytestmark = pytest.mark.django_db

D = datetime.date(2026, 1, 5)
POSTGRES = connection.vendor == "postgresql"


def make_claim(t: Tenancy, ref: str = "C") -> BenefitClaim:
    return BenefitClaim.objects.create(
        claim_ref=f"{ref}-{t.tenancy_ref}", tenancy=t, benefit="uc", status="claimed",
        status_date=D,
    )


def copy_history(claim: BenefitClaim) -> models.Model:
    """A second history record of the claim, written without touching the claim itself."""
    row = claim.history.latest()
    row.pk = None
    row.save()
    return row


@dataclass
class Input:
    """One engine input table: how to add a row for a tenancy, and a change to save."""

    table: str
    insert: Callable[[Tenancy], models.Model]
    change: dict[str, object]
    setup: Callable[[Tenancy], object] = field(default=lambda t: None)
    append_only: bool = False
    # History rows are never deleted (common.appendonly), only inserted and (rarely) updated.
    history: bool = False


INPUTS = [
    Input("ledger_transaction", lambda t: Transaction.objects.create(
        transaction_ref=f"TX-{t.tenancy_ref}", tenancy=t, date=D, type="rent", amount=10000,
    ), {}, append_only=True),
    Input("ledger_charge", lambda t: Charge.objects.create(
        tenancy=t, charge_code="rent", amount=10000, frequency="weekly", effective_from=D,
    ), {"amount": 11000}),
    Input("ledger_benefitclaim", make_claim, {"status": "in_payment"}),
    Input("ledger_historicalbenefitclaim", lambda t: copy_history(t.benefit_claims.get()),
          {"status": "suspended"}, setup=make_claim, history=True),
    Input("benefits_claimevent", lambda t: model_of("benefits_claimevent").objects.create(
        claim=t.benefit_claims.get(), status="awaiting", date=D,
    ), {}, setup=make_claim, append_only=True),
    Input("ledger_agreement", lambda t: Agreement.objects.create(
        agreement_ref=f"A-{t.tenancy_ref}", tenancy=t, kind="informal", start_date=D,
        starting_balance=50000, instalment=500, frequency="weekly", status="live",
    ), {"status": "cancelled"}),
    Input("ledger_notice", lambda t: Notice.objects.create(
        notice_ref=f"N-{t.tenancy_ref}", tenancy=t, kind="nosp_secure", served_date=D,
    ), {"expiry_date": D + datetime.timedelta(days=365)}),
    Input("ledger_courtcase", lambda t: CourtCase.objects.create(
        case_ref=f"CC-{t.tenancy_ref}", tenancy=t, claim_date=D,
    ), {"outcome": "spo"}),
    Input("ledger_pause", lambda t: Pause.objects.create(
        tenancy=t, reason="hospital", start_date=D,
    ), {"end_date": D + datetime.timedelta(days=30)}),
    Input("ledger_recordedaction", lambda t: RecordedAction.objects.create(
        tenancy=t, date=D, code="reminder_sent",
    ), {"code": "letter_1_sent"}),
    Input("ledger_tenant", lambda t: Tenant.objects.create(
        tenancy=t, person_ref=f"{t.tenancy_ref}-1", last_name="Jones",
    ), {"vulnerabilities": "mental_health"}),
    Input("ledger_promise", lambda t: model_of("ledger_promise").objects.create(
        promise_ref=f"P-{t.tenancy_ref}", tenancy=t, made_date=D, due_date=D, amount=500,
    ), {"amount": 700}),
]
CASES = [
    pytest.param(i, action, id=f"{i.table}-{action}")
    for i in INPUTS
    for action in ("insert", "update", "delete")
    if action == "insert" or not (i.append_only or (i.history and action == "delete"))
]


@pytest.fixture
def pair() -> tuple[Tenancy, Tenancy]:
    """Two tenancies on patches of their own: one changed, one that must not move."""
    return make_tenancy("T1", patch="EAST"), make_tenancy("T2", patch="WEST")


def installed_triggers() -> set[str]:
    with connection.cursor() as cursor:
        if POSTGRES:
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def test_trigger_names_are_all_installed():
    installed = installed_triggers()
    # A later migration that rebuilds a table (SQLite does so for many ALTERs) drops its
    # triggers: this is where that would show.
    assert set(trigger_names(connection.vendor)) <= installed


def test_a_tenancy_never_changed_is_version_0(pair):
    t1, t2 = pair
    assert versions() == {}
    assert versions([t1.pk, t2.pk]) == {}
    assert version(t1.pk) == 0


def test_versions_is_one_query_and_filters(pair, django_assert_num_queries):
    t1, t2 = pair
    t3 = make_tenancy("T3")
    for t in (t1, t2):
        Pause.objects.create(tenancy=t, reason="hospital", start_date=D)
    with django_assert_num_queries(1):
        assert versions([t1.pk, t3.pk]) == {t1.pk: 1}
    with django_assert_num_queries(1):
        assert versions() == {t1.pk: 1, t2.pk: 1}
    assert version(t3.pk) == 0


@pytest.mark.parametrize(("table", "action"), CASES)
def test_each_input_bumps_its_tenancy_only(pair, table: Input, action: str):
    t1, t2 = pair
    table.setup(t1)
    if action != "insert":
        row = table.insert(t1)
    before, other = version(t1.pk), version(t2.pk)
    if action == "insert":
        table.insert(t1)
    elif action == "update":
        for name, value in table.change.items():
            setattr(row, name, value)
        row.save()
    else:
        row.delete()
    assert version(t1.pk) > before
    assert version(t2.pk) == other


@pytest.mark.parametrize("table", [i for i in INPUTS if not i.append_only], ids=lambda i: i.table)
def test_moving_a_row_to_another_tenancy_bumps_both(pair, table: Input):
    t1, t2 = pair
    table.setup(t1)
    row = table.insert(t1)
    bystander = make_tenancy("T3")
    before = versions([t1.pk, t2.pk])
    row.tenancy = t2
    row.save()
    assert version(t1.pk) > before[t1.pk]
    assert version(t2.pk) > before.get(t2.pk, 0)
    assert version(bystander.pk) == 0


def test_bulk_create_bumps_each_tenancy(pair):
    t1, t2 = pair
    bystander = make_tenancy("T3")
    Transaction.objects.bulk_create(
        Transaction(transaction_ref=f"BULK-{i}", tenancy=(t1, t2)[i % 2], date=D, type="rent",
                    amount=100)
        for i in range(500)
    )
    # PostgreSQL bumps once per statement; SQLite's row-level triggers once per row.
    expected = 1 if POSTGRES else 250
    assert versions() == {t1.pk: expected, t2.pk: expected}
    assert version(bystander.pk) == 0


def test_queryset_update_bumps_each_tenancy(pair):
    t1, t2 = pair
    bystander = make_tenancy("T3")
    for t in (t1, t2, bystander):
        Charge.objects.create(
            tenancy=t, charge_code="rent", amount=10000, frequency="weekly", effective_from=D
        )
    before = versions()
    assert Charge.objects.filter(tenancy__in=[t1, t2]).update(amount=12000) == 2
    after = versions()
    assert after[t1.pk] == before[t1.pk] + 1
    assert after[t2.pk] == before[t2.pk] + 1
    assert after[bystander.pk] == before[bystander.pk]


def test_raw_sql_insert_bumps(pair):
    t1, t2 = pair
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ledger_recordedaction (tenancy_id, date, code, channel, note, created_at)"
            " VALUES (%s, %s, 'note', '', '', %s)",
            [t1.pk, D, datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC)],
        )
    assert versions() == {t1.pk: 1}


@pytest.mark.skipif(not POSTGRES, reason="COPY is PostgreSQL's; SQLite has no COPY")
def test_copy_into_transactions_bumps_once_per_statement(pair):
    t1, t2 = pair
    bystander = make_tenancy("T3")
    lines = "".join(
        f'CP-{i},{(t1, t2)[i % 2].pk},2026-01-05,rent,100,"",2026-01-05 00:00:00+00\n'
        for i in range(1000)
    )
    with connection.cursor() as cursor, cursor.cursor.copy(
        "COPY ledger_transaction (transaction_ref, tenancy_id, date, type, amount, description,"
        " created_at) FROM STDIN WITH (FORMAT csv)"
    ) as copy:
        copy.write(lines)
    assert Transaction.objects.count() == 1000
    assert versions() == {t1.pk: 1, t2.pk: 1}
    assert version(bystander.pk) == 0


def test_tenancy_update_bumps_that_tenancy(pair):
    t1, t2 = pair
    t1.tenure = "introductory"
    t1.save()
    Tenancy.objects.filter(pk=t1.pk).update(end_date=D)
    assert versions() == {t1.pk: 2}


def test_property_update_bumps_its_tenancies(pair):
    t1, t2 = pair
    prop = t1.property
    prop.patch = Patch.objects.get(code="WEST")
    prop.save()
    assert versions() == {t1.pk: 1}


def test_patch_code_change_bumps_every_tenancy_of_the_patch(pair):
    t1, t2 = pair
    t3 = make_tenancy("T3", patch="EAST")
    east = Patch.objects.get(code="EAST")
    east.name = "The east"  # read by no engine query: bumps nothing
    east.save()
    assert versions() == {}
    east.code = "EAST2"
    east.save()
    assert versions() == {t1.pk: 1, t3.pk: 1}


def test_deleting_a_tenancy_removes_its_stamp(pair):
    t1, t2 = pair
    RecordedAction.objects.create(tenancy=t1, date=D, code="note")
    RecordedAction.objects.filter(tenancy=t1).delete()
    RecordedAction.objects.create(tenancy=t2, date=D, code="note")
    RecordedAction.objects.filter(tenancy=t2).delete()
    assert versions() == {t1.pk: 2, t2.pk: 2}
    t1.delete()
    assert versions() == {t2.pk: 2}
    with connection.cursor() as cursor:  # raw SQL, past the ORM's cascade
        cursor.execute("DELETE FROM ledger_tenancy WHERE id = %s", [t2.pk])
    assert not Tenancy.objects.exists()
    assert not TenancyStamp.objects.exists()


def test_writes_outside_the_engine_inputs_bump_nothing(pair):
    t1, t2 = pair
    officer = get_user_model().objects.create_user("stamp_officer")
    record("test_event", object_type="tenancy", object_ref=t1.tenancy_ref, why="a test")
    Contact.objects.create(
        tenancy=t1, date=D, channel="phone", direction="outbound", outcome="no_answer",
        officer=officer,
    )
    RentFreeWeek.objects.create(week_start=D)
    Landlord.current()
    Tenancy.history.filter(id=t1.pk).update(history_change_reason="a note")
    assert versions() == {}


def test_import_leaves_every_imported_tenancy_versioned(example_folder):
    import_folder(example_folder, actor="test")
    ids = list(Tenancy.objects.values_list("pk", flat=True))
    assert ids
    found = versions(ids)
    assert all(found.get(pk, 0) > 0 for pk in ids), found
    # Importing the same folder again writes nothing, so every stored row stays reusable.
    import_folder(example_folder, actor="test")
    assert versions(ids) == found
    # The import's bulk insert (set-based bumps on SQLite) leaves every trigger in place.
    assert set(trigger_names(connection.vendor)) <= installed_triggers()
