"""Re-importing changes nothing; --update changes and audits; natural keys and multisets."""

from __future__ import annotations

import pytest
from ix_helpers import append, dump, replace

from openincome.audit.models import AuditEvent
from openincome.benefits.models import BenefitClaim
from openincome.interchange import import_folder
from openincome.ledger.models import (
    Landlord,
    Patch,
    Property,
    RecordedAction,
    Tenancy,
    Tenant,
    Transaction,
)

EXAMPLE_COUNTS = {
    "manifest.csv": (1, 0),
    "properties.csv": (3, 0),
    "tenancies.csv": (3, 0),
    "tenants.csv": (3, 0),
    "charges.csv": (3, 0),
    "transactions.csv": (209, 0),
    "benefits.csv": (1, 0),
    "notices.csv": (1, 0),
    "pauses.csv": (1, 0),
    "actions.csv": (3, 0),
}


@pytest.mark.django_db
def test_first_import_writes_everything_signed_and_audits_once(example_folder):
    result = import_folder(example_folder, actor="sam")
    assert {n: (c.new, c.unchanged) for n, c in result.files.items()} == EXAMPLE_COUNTS
    assert result.summary_lines()[-1] == "total: 228 new, 0 unchanged"
    assert sorted(Patch.objects.values_list("code", flat=True)) == ["EAST", "WEST"]
    assert Landlord.objects.get().name == "Example Homes"
    payment = Transaction.objects.get(transaction_ref="T0000002")
    assert (payment.type, payment.amount) == ("payment_dd", -9840)
    assert payment.tenancy.tenancy_ref == "EX-0001"
    assert Transaction.objects.get(transaction_ref="T0000001").amount == 9840
    assert Property.objects.get(property_ref="P0003").bedrooms is None
    [event] = AuditEvent.objects.filter(action="import")
    assert (event.actor_name, event.object_type, event.object_ref) == (
        "sam", "interchange", "interchange-small"
    )
    assert event.details["transactions.csv"] == {"new": 209, "unchanged": 0, "updated": 0}
    # simple-history starts every imported row's history at the import.
    assert Tenancy.history.filter(history_type="+").count() == 3


@pytest.mark.django_db
def test_reimporting_the_same_folder_changes_nothing(loaded, example_folder):
    result = import_folder(example_folder, actor="test")
    assert {n: (c.new, c.unchanged) for n, c in result.files.items()} == {
        n: (0, new) for n, (new, _) in EXAMPLE_COUNTS.items()
    }
    assert str(result).splitlines()[-1] == "total: 0 new, 228 unchanged"
    assert dump() == loaded  # not even an audit event


@pytest.mark.django_db
def test_a_later_export_adds_only_what_is_new(loaded, folder):
    append(folder / "transactions.csv", "T0000210,EX-0002,2026-11-30,payment_card,50.00,Card,")
    append(folder / "tenancies.csv", "EX-0004,P0003,licence,2026-11-30,,,,sms")
    append(folder / "tenants.csv", "EX-0004,EX-0004-1,,Alex,Kaur,,,,,true,,,")
    append(folder / "properties.csv", "P0004,4 Elm Road,,Northtown,NN1 1AB,house,3,NORTH")
    result = import_folder(folder, actor="test")
    counts = {n: (c.new, c.unchanged) for n, c in result.files.items()}
    assert counts["transactions.csv"] == (1, 209)
    assert counts["tenancies.csv"] == (1, 3)
    assert counts["tenants.csv"] == (1, 3)
    assert counts["properties.csv"] == (1, 3)
    assert Transaction.objects.get(transaction_ref="T0000210").amount == -5000
    assert Patch.objects.filter(code="NORTH").exists()
    assert Tenancy.objects.get(tenancy_ref="EX-0004").preferred_channel == "sms"


@pytest.mark.django_db
def test_actions_are_a_multiset_duplicates_kept_reimport_adds_none(loaded, folder):
    line = "EX-0001,2026-04-01,contact_attempted,phone,No answer"
    append(folder / "actions.csv", line)
    append(folder / "actions.csv", line)
    assert import_folder(folder).files["actions.csv"].new == 2
    assert RecordedAction.objects.filter(tenancy__tenancy_ref="EX-0001").count() == 2
    again = import_folder(folder).files["actions.csv"]
    assert (again.new, again.unchanged) == (0, 5)
    append(folder / "actions.csv", line)
    assert import_folder(folder).files["actions.csv"].new == 1
    assert RecordedAction.objects.filter(note="No answer").count() == 3


@pytest.mark.django_db
def test_update_changes_rows_and_audits_old_and_new_values(loaded, folder):
    replace(folder / "tenancies.csv", "2025-09-01,2026-02-27", "2025-09-01,2026-03-06")
    replace(folder / "benefits.csv", "uc,claimed,2026-02-10,,,", "uc,in_payment,2026-03-10,true,,")
    replace(folder / "tenants.csv", "Patel", "Patel-Jones")
    replace(folder / "properties.csv", "P0002,2 Elm Road,,Northtown,NN1 1AA,flat,2,EAST",
            "P0002,2 Elm Road,,Northtown,NN1 1AA,flat,2,NORTH")
    replace(folder / "manifest.csv", "Example Homes", "Example Homes Ltd")
    result = import_folder(folder, update=True, actor="sam")
    updated = {n: c.updated for n, c in result.files.items() if c.updated}
    assert updated == {
        "manifest.csv": 1, "properties.csv": 1, "tenancies.csv": 1, "tenants.csv": 1,
        "benefits.csv": 1,
    }
    assert str(Tenancy.objects.get(tenancy_ref="EX-0003").end_date) == "2026-03-06"
    claim = BenefitClaim.objects.get(claim_ref="UC-77")
    assert (claim.status, claim.direct_to_landlord) == ("in_payment", True)
    assert Property.objects.get(property_ref="P0002").patch.code == "NORTH"
    assert Tenant.objects.get(person_ref="EX-0002-1").last_name == "Patel-Jones"
    assert Landlord.objects.get().name == "Example Homes Ltd"
    changes = {
        (e.object_type, e.object_ref): e.details["changes"]
        for e in AuditEvent.objects.filter(action="import_update")
    }
    assert changes[("benefitclaim", "UC-77")] == {
        "status": {"old": "claimed", "new": "in_payment"},
        "status_date": {"old": "2026-02-10", "new": "2026-03-10"},
        "direct_to_landlord": {"old": "", "new": "true"},
    }
    assert changes[("tenancy", "EX-0003")] == {
        "end_date": {"old": "2026-02-27", "new": "2026-03-06"}
    }
    assert changes[("property", "P0002")] == {"patch": {"old": "EAST", "new": "NORTH"}}
    assert ("tenant", "EX-0002/EX-0002-1") in changes
    assert all(e.actor_name == "sam" for e in AuditEvent.objects.filter(action="import_update"))
    [event] = AuditEvent.objects.filter(action="import", object_ref="example")
    assert event.details["benefits.csv"] == {"new": 0, "unchanged": 0, "updated": 1}
    # The claim's status history is kept (simple-history): claimed, then in_payment.
    history = claim.history.order_by("history_date", "history_id")
    assert list(history.values_list("status", flat=True)) == ["claimed", "in_payment"]
    # And the updated folder now re-imports unchanged.
    again = import_folder(folder, update=True)
    assert (again.total.new, again.total.updated) == (0, 0)


@pytest.mark.django_db
def test_an_empty_landlord_name_is_filled_in_without_update(db, example_folder):
    Landlord.objects.create()
    result = import_folder(example_folder)
    assert result.files["manifest.csv"].updated == 1
    assert Landlord.objects.get().name == "Example Homes"


@pytest.mark.django_db
def test_subfolders_and_other_files_are_ignored_bom_and_crlf_tolerated(db, folder):
    (folder / "truth").mkdir()
    (folder / "truth" / "truth.csv").write_text("anything,at all\n")
    (folder / "README.txt").write_text("notes")
    tenancies = folder / "tenancies.csv"
    tenancies.write_bytes(b"\xef\xbb\xbf" + tenancies.read_bytes())
    result = import_folder(folder)
    assert result.files["tenancies.csv"].new == 3
    assert "truth.csv" not in result.files


@pytest.mark.django_db
def test_files_without_optional_columns_and_in_any_order(db, tmp_path):
    (tmp_path / "tenancies.csv").write_text(
        "start_date,tenure,property_ref,tenancy_ref\n2026-01-05,secure,P1,T1\n"
    )
    (tmp_path / "properties.csv").write_text(
        'patch,postcode,address_line_1,property_ref\nP,NN1 1AA,"1, The Row",P1\n'
    )
    (tmp_path / "transactions.csv").write_text(
        "tenancy_ref,amount,type,date,transaction_ref\nT1,1.5,rent,2026-01-05,X1\n"
    )
    import_folder(tmp_path)
    tenancy = Tenancy.objects.get(tenancy_ref="T1")
    assert (tenancy.payment_reference, tenancy.end_date, tenancy.property.address_line_1) == (
        "", None, "1, The Row"
    )
    tx = Transaction.objects.get(transaction_ref="X1")
    assert (tx.amount, tx.description, tx.period_start) == (150, "", None)
    assert import_folder(tmp_path).total.new == 0
