"""The contact log in the interchange: exported, imported, round-tripped, never lost."""

from __future__ import annotations

import datetime

import pytest
from ix_helpers import RICH, append, csv_bytes

from openincome.audit.models import AuditEvent
from openincome.cases.models import Contact
from openincome.interchange import export_folder, import_folder, validate_folder

pytestmark = pytest.mark.django_db
HEADER = RICH["contacts.csv"][0]


def _rows(folder) -> list[list[str]]:
    import csv

    with (folder / "contacts.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_import_keeps_every_contact_with_its_officer_and_history(rich_folder):
    import_folder(rich_folder, actor="test")
    got = sorted((c.tenancy.tenancy_ref, c.date.isoformat(), c.channel, c.direction, c.outcome,
                  c.note, c.officer.username,
                  c.callback_date.isoformat() if c.callback_date else "")
                 for c in Contact.objects.all())
    assert got == sorted(tuple(r) for r in RICH["contacts.csv"][1:])
    # Each contact's history starts at the import, one record each (duplicates included).
    history = Contact.history.model.objects.all()
    assert sorted(h.id for h in history) == sorted(Contact.objects.values_list("id", flat=True))
    assert {h.history_type for h in history} == {"+"}
    assert all(h.created_at == c.created_at for h in history
               for c in Contact.objects.filter(pk=h.id))


def test_unknown_officers_are_created_unable_to_sign_in_and_audited(rich_folder):
    from django.contrib.auth import get_user_model

    import_folder(rich_folder, actor="test")
    for username in ("olly.officer", "tess_leader"):
        user = get_user_model().objects.get(username=username)
        assert not user.is_active and not user.has_usable_password()
        assert not user.groups.exists() and not user.is_staff and not user.is_superuser
        event = AuditEvent.objects.get(action="user_added", object_ref=username)
        assert event.details["source"] == "contacts.csv"


def test_a_known_officer_is_linked_not_created(rich_folder):
    from openincome.staff.actions import add_user

    olly = add_user("olly.officer", "officer", "a-long-test-password")
    import_folder(rich_folder, actor="test")
    assert Contact.objects.filter(officer=olly).count() == 3
    olly.refresh_from_db()
    assert olly.is_active and olly.check_password("a-long-test-password")


def test_contacts_recorded_in_the_app_are_exported_and_import_back_unchanged(rich_folder,
                                                                              tmp_path):
    from openincome.cases import actions
    from openincome.ledger.models import Tenancy
    from openincome.staff.actions import add_user

    import_folder(rich_folder, actor="test")
    officer = add_user("amir", "officer", "a-long-test-password")
    actions.record_contact(Tenancy.objects.get(tenancy_ref="RT-3"), officer,
                           date=datetime.date(2025, 5, 1), channel="email",
                           direction="inbound", outcome="message_received",
                           note="Asked for a statement", as_of=datetime.date(2025, 5, 1),
                           callback_date=datetime.date(2025, 5, 8))
    export_folder(tmp_path / "out")
    assert _rows(tmp_path / "out")[-1] == ["RT-3", "2025-05-01", "email", "inbound",
                                           "message_received", "Asked for a statement", "amir",
                                           "2025-05-08"]
    result = import_folder(tmp_path / "out")
    assert result.total.new == 0
    assert Contact.objects.count() == 5


def test_reimport_adds_only_rows_beyond_those_already_there(rich_folder):
    import_folder(rich_folder, actor="test")
    append(rich_folder / "contacts.csv", "RT-1,2025-04-10,phone,outbound,no_answer,,olly.officer,")
    import_folder(rich_folder, actor="test")
    assert Contact.objects.filter(tenancy__tenancy_ref="RT-1", outcome="no_answer").count() == 3
    assert Contact.history.model.objects.count() == 5


@pytest.mark.parametrize(("row", "column", "message"), [
    (["RT-9", "2025-04-10", "phone", "outbound", "no_answer", "", "olly", ""], "tenancy_ref",
     "unknown tenancy"),
    (["RT-1", "2025-04-10", "pigeon", "outbound", "no_answer", "", "olly", ""], "channel", ""),
    (["RT-1", "2025-04-10", "phone", "sideways", "no_answer", "", "olly", ""], "direction", ""),
    (["RT-1", "2025-04-10", "phone", "outbound", "shrugged", "", "olly", ""], "outcome", ""),
    (["RT-1", "2025-04-10", "phone", "outbound", "no_answer", "", "", ""], "officer", ""),
    (["RT-1", "", "phone", "outbound", "no_answer", "", "olly", ""], "date", ""),
])
def test_bad_contact_rows_are_refused_with_file_line_and_column(rich_folder, row, column,
                                                               message):
    (rich_folder / "contacts.csv").write_bytes(csv_bytes([HEADER, row]))
    errors = validate_folder(rich_folder)
    assert errors, "the bad row was accepted"
    error = errors[0]
    assert (error.file, error.line, error.column) == ("contacts.csv", 2, column)
    assert message in error.message
