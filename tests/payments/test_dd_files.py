"""Direct Debit files: AUDDIS lodgements and Standard 18 collection files on Bacs working days
(golden files), advance notice before collecting, changes of terms, ARUDD and ADDACS."""

import datetime
import os
from pathlib import Path

import pytest

from openincome.audit.models import AuditEvent
from openincome.cli import main
from openincome.interchange.errors import ImportFailed
from openincome.ledger.models import Charge, Tenancy, Transaction
from openincome.letters.models import OutboxItem
from openincome.letters.pdf import pdf_text
from openincome.payments import actions, bacs
from openincome.payments.models import (
    AdvanceNotice,
    DirectDebitCollection,
    DirectDebitFile,
    DirectDebitMandate,
    DirectDebitTask,
)

from .conftest import SAMPLES

GOLDEN = Path(__file__).parent / "golden"
D = datetime.date


def golden(name: str, text: str) -> str:
    """The golden file's text; OPENINCOME_WRITE_GOLDEN=1 writes it from `text` first."""
    path = GOLDEN / name
    if os.environ.get("OPENINCOME_WRITE_GOLDEN") == "1":
        path.write_text(text, encoding="ascii", newline="")
    return path.read_text(encoding="ascii")


@pytest.fixture
def bacs_ready(landlord):
    actions.load_modulus_table(SAMPLES / "modulus-weights-EXAMPLE.txt", "operator")
    actions.save_originator("operator", service_user_number="123456", name="Example Homes",
                            sort_code="08-99-99", account_number="12345678")


def _mandate(ref="EX-0001", **changes):
    values = dict(payer_name="A Tenant", sort_code="089999", account_number="66374958",
                  frequency="weekly", day=3, start_date=D(2026, 4, 2), amount=9840,
                  as_of=D(2026, 3, 16))
    values.update(changes)
    return actions.set_up_mandate(Tenancy.objects.get(tenancy_ref=ref), "officer", **values)


def test_set_up_sends_the_advance_notice_through_the_notifier(bacs_ready):
    mandate = _mandate()
    notice = AdvanceNotice.objects.get(mandate=mandate)
    assert (notice.sent_on, notice.first_collection, notice.amount) == (
        D(2026, 3, 16), D(2026, 4, 2), 9840)
    letter = OutboxItem.objects.get(reference=notice.reference)
    assert letter.channel == "letter" and letter.pdf and notice.provider_id == letter.provider_id


def test_a_first_collection_inside_the_notice_period_moves_to_the_first_allowed_day(
        bacs_ready):
    # Notice on Mon 16 Mar: ten working days later is Mon 30 Mar; Thursdays from 2 Apr.
    mandate = _mandate(start_date=D(2026, 3, 19))
    assert mandate.start_date == D(2026, 4, 2)


def test_the_lodgement_and_the_collection_match_their_golden_files(bacs_ready):
    first = _mandate()
    _mandate("EX-0002", payer_name="B Tenant", sort_code="202959", account_number="63748472",
             frequency="monthly", day=1, start_date=D(2026, 4, 1), amount=52500)
    lodgement = actions.lodge_instructions(D(2026, 3, 20), "operator")
    assert lodgement.content == golden("auddis-2026-03-20.txt", lodgement.content)
    assert {m.lodged_on for m in DirectDebitMandate.objects.all()} == {D(2026, 3, 20)}

    run = actions.collect_direct_debits(D(2026, 4, 1), "operator")
    assert run.file.content == golden("collection-2026-04-01.txt", run.file.content)
    read = bacs.read_file(run.file.content)
    assert [(i.reference, i.code, i.amount) for i in read.items] == [
        ("EX-0002-1", bacs.FIRST_COLLECTION, 52500)]
    assert read.contra == read.debit_total == 52500 and read.processing == D(2026, 3, 31)

    second = actions.collect_direct_debits(D(2026, 4, 2), "operator")
    assert second.file.content == golden("collection-2026-04-02.txt", second.file.content)
    posted = Transaction.objects.get(transaction_ref="DD-EX-0001-1-20260402")
    assert (posted.tenancy_id, posted.type, posted.amount, posted.date) == (
        first.tenancy_id, "payment_dd", -9840, D(2026, 4, 2))


def test_asking_for_the_same_day_again_gives_the_same_file_and_posts_nothing(bacs_ready):
    _mandate()
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    made = actions.collect_direct_debits(D(2026, 4, 2), "operator")
    again = actions.collect_direct_debits(D(2026, 4, 2), "operator")
    assert again.written_before and again.file.content == made.file.content
    assert Transaction.objects.filter(transaction_ref__startswith="DD-").count() == 1


def test_a_collection_due_on_a_weekend_or_bank_holiday_is_taken_the_next_working_day(
        bacs_ready):
    # Friday 3 April 2026 is Good Friday and Monday 6 April Easter Monday.
    _mandate(frequency="monthly", day=3, start_date=D(2026, 4, 3))
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    with pytest.raises(actions.DirectDebitError, match="not a Bacs working day.*Tue 07 Apr"):
        actions.collect_direct_debits(D(2026, 4, 3), "operator")
    run = actions.collect_direct_debits(D(2026, 4, 7), "operator")
    assert run.file.processing_date == D(2026, 4, 2)
    row = DirectDebitCollection.objects.get()
    assert (row.due_date, row.collected_on) == (D(2026, 4, 3), D(2026, 4, 7))


def test_a_collection_without_advance_notice_is_held_back_with_a_task(bacs_ready):
    class Refusing:
        def send_letter(self, pdf, reference):
            raise ConnectionError("the post room is closed")

    _mandate(notifier=Refusing())
    assert DirectDebitTask.objects.get().kind == "notice_failed"
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    with pytest.raises(actions.DirectDebitError, match="1 held back: the payer was not given"):
        actions.collect_direct_debits(D(2026, 4, 2), "operator")
    assert not Transaction.objects.filter(transaction_ref__startswith="DD-").exists()


def test_an_unlodged_mandate_is_held_back(bacs_ready):
    _mandate()
    _mandate("EX-0002", payer_name="B Tenant", sort_code="202959", account_number="63748472")
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    _mandate("EX-0003", payer_name="C Tenant", sort_code="202959", account_number="63748472")
    run = actions.collect_direct_debits(D(2026, 4, 2), "operator")
    assert [h[0] for h in run.held] == ["EX-0003-1"]
    assert "not lodged" in DirectDebitTask.objects.get(kind="held_back").detail
    assert run.file.items == 2


def test_a_change_keeps_the_old_terms_until_its_notice_has_run(bacs_ready):
    mandate = _mandate()
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    with pytest.raises(actions.DirectDebitError, match="10 working days' notice"):
        actions.change_mandate(mandate, "officer", as_of=D(2026, 4, 1), amount=10500,
                               effective_from=D(2026, 4, 9), why="rent up")
    actions.change_mandate(mandate, "officer", as_of=D(2026, 4, 1), amount=10500,
                           why="Your rent has gone up")
    # Easter: ten working days after Wed 1 Apr is Fri 17 Apr; the next Thursday is 23 Apr.
    mandate.refresh_from_db()
    assert (mandate.pending_from, mandate.pending_amount) == (D(2026, 4, 23), 10500)
    for day in (D(2026, 4, 2), D(2026, 4, 9), D(2026, 4, 16), D(2026, 4, 23)):
        actions.collect_direct_debits(day, "operator")
    assert list(DirectDebitCollection.objects.values_list("amount", "code")) == [
        (9840, "01"), (9840, "17"), (9840, "17"), (10500, "17")]
    mandate.refresh_from_db()
    assert (mandate.amount, mandate.pending_from) == (10500, None)
    assert AdvanceNotice.objects.filter(mandate=mandate).count() == 2


def test_a_cancelled_mandate_is_lodged_as_0c_and_collected_no_more(bacs_ready):
    mandate = _mandate()
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    actions.cancel_mandate(mandate, "officer", on=D(2026, 3, 25), why="tenant pays by card")
    lodged = bacs.read_file(actions.lodge_instructions(D(2026, 3, 26), "operator").content)
    assert [(i.reference, i.code) for i in lodged.items] == [("EX-0001-1", "0C")]
    with pytest.raises(actions.DirectDebitError, match="nothing to collect"):
        actions.collect_direct_debits(D(2026, 4, 2), "operator")


def test_the_april_rent_change_recalculates_every_following_mandate_with_notices(bacs_ready):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    mandate = _mandate(amount=None)  # follows the account: £98.40 weekly rent
    assert (mandate.follows_account, mandate.amount) == (True, 9840)
    Charge.objects.filter(tenancy=tenancy).update(effective_to=D(2026, 4, 5))
    Charge.objects.create(tenancy=tenancy, charge_code="rent", amount=10300,
                          frequency="weekly", effective_from=D(2026, 4, 6))
    changed = actions.recalculate_mandates(D(2026, 3, 16), "operator")
    assert [(m.reference, m.pending_amount, m.pending_from) for m in changed] == [
        ("EX-0001-1", 10300, D(2026, 4, 9))]
    notice = AdvanceNotice.objects.filter(mandate=mandate).order_by("-id").first()
    assert (notice.amount, notice.first_collection, bool(notice.provider_id)) == (
        10300, D(2026, 4, 9), True)
    assert actions.recalculate_mandates(D(2026, 3, 16), "operator") == []


def test_a_monthly_mandate_for_weekly_rent_collects_the_monthly_equivalent(bacs_ready):
    mandate = _mandate(amount=None, frequency="monthly", day=1, start_date=D(2026, 5, 1))
    assert mandate.amount == 42640  # £98.40 × 52 / 12


def test_an_arudd_return_reverses_the_collection_and_opens_a_task(bacs_ready):
    _mandate()
    actions.lodge_instructions(D(2026, 3, 20), "operator")
    actions.collect_direct_debits(D(2026, 4, 2), "operator")
    lines = actions.import_bacs_report(SAMPLES / "arudd-sample.xml", "arudd", "operator")
    assert "  collections returned unpaid: 1" in lines
    reversal = Transaction.objects.get(transaction_ref="DD-EX-0001-1-20260402-R")
    assert (reversal.type, reversal.amount, reversal.date) == (
        "payment_reversal", 9840, D(2026, 4, 6))
    task = DirectDebitTask.objects.get(kind="failed_collection")
    assert task.detail == "£98.40 due 02 Apr 2026 was not paid (refer to payer)"
    again = actions.import_bacs_report(SAMPLES / "arudd-sample.xml", "arudd", "operator")
    assert "  applied before (nothing done): 1" in again
    assert Transaction.objects.filter(type="payment_reversal").count() == 1


def test_an_arudd_item_matching_no_collection_changes_nothing(bacs_ready, tmp_path):
    _mandate()
    bad = tmp_path / "arudd.xml"
    bad.write_text((SAMPLES / "arudd-sample.xml").read_text().replace(
        'valueOf="98.40" currency="GBP">', 'valueOf="98.4" currency="GBP">'))
    with pytest.raises(ImportFailed) as failed:
        actions.import_bacs_report(bad, "arudd", "operator")
    assert str(failed.value.errors[0]) == (
        "arudd.xml:15: valueOf: the amount is pounds and pence, for example 98.40")
    with pytest.raises(ImportFailed, match="1 problem"):
        actions.import_bacs_report(SAMPLES / "arudd-sample.xml", "arudd", "operator")
    assert not DirectDebitTask.objects.exists()


def test_addacs_cancels_one_mandate_and_moves_another_to_its_new_account(bacs_ready):
    _mandate()
    _mandate("EX-0002", payer_name="B Tenant", sort_code="202959", account_number="63748472")
    lines = actions.import_bacs_report(SAMPLES / "addacs-sample.xml", "addacs", "operator")
    assert "  mandates changed: 2" in lines
    cancelled = DirectDebitMandate.objects.get(reference="EX-0001-1")
    moved = DirectDebitMandate.objects.get(reference="EX-0002-1")
    assert (cancelled.status, cancelled.ended_on) == ("cancelled", D(2026, 4, 6))
    assert (moved.sort_code, moved.account_number, moved.status) == (
        "089999", "66374958", "live")
    assert sorted(DirectDebitTask.objects.values_list("kind", flat=True)) == [
        "amended_by_payer", "cancelled_by_payer"]
    actions.import_bacs_report(SAMPLES / "addacs-sample.xml", "addacs", "operator")
    assert DirectDebitTask.objects.count() == 2


def test_the_dd_commands(bacs_ready, tmp_path, capsys):
    _mandate()
    out = tmp_path / "lodge.txt"
    assert main(["dd", "lodge", "--date", "2026-03-20", "--out", str(out)]) == 0
    assert out.read_text().startswith("VOL1")
    collection = tmp_path / "collect.txt"
    assert main(["dd", "collect", "--date", "2026-04-02", "--out", str(collection)]) == 0
    assert bacs.read_file(collection.read_text()).debit_total == 9840
    assert main(["dd", "collect", "--date", "2026-04-04", "--out", str(collection)]) == 2
    assert main(["dd", "change", "EX-0001-1", "--amount", "105.00", "--why", "rent up",
                 "--as-of", "2026-04-01"]) == 0
    assert main(["dd", "report", "arudd", str(SAMPLES / "arudd-sample.xml")]) == 0
    assert main(["dd", "tasks"]) == 0
    assert main(["dd", "cancel", "EX-0001-1", "--why", "moving out", "--on",
                 "2026-04-20"]) == 0
    assert main(["dd", "cancel", "EX-0001-1", "--why", "again"]) == 2
    text = capsys.readouterr().out
    assert "collection file for 02 Apr 2026 (processing day 01 Apr 2026): 1 collections" in text
    assert "£105.00 from 23 Apr 2026; advance notice sent" in text
    assert "Direct Debit failed: £98.40 due 02 Apr 2026 was not paid" in text
    assert "66374958" not in text
    assert AuditEvent.objects.filter(action__in=["dd_lodgement_file", "dd_collection_file",
                                                 "mandate_changed", "arudd_imported",
                                                 "mandate_cancelled"]).count() == 5
    assert DirectDebitFile.objects.count() == 2


def test_an_agreement_made_changes_a_following_mandate_through_the_freshness_hook(
        bacs_ready, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from openincome.agreements.actions import make_agreement

    today = timezone.localdate()
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    mandate = _mandate(amount=None, as_of=today, start_date=today)
    with django_capture_on_commit_callbacks(execute=True):
        make_agreement(tenancy, None, instalment=500, frequency="weekly", start=today,
                       as_of=today, starting_balance=10000)
    mandate.refresh_from_db()
    assert (mandate.amount, mandate.pending_amount) == (9840, 10340)
    assert mandate.pending_from >= actions.earliest_change(today)
    notice = AdvanceNotice.objects.filter(mandate=mandate).order_by("-id").first()
    assert (notice.amount, notice.first_collection) == (10340, mandate.pending_from)
    # The notice itemises what the amount is made of (Bacs rules).
    letter = pdf_text(bytes(OutboxItem.objects.get(reference=notice.reference).pdf))
    assert "Rent and charges: £98.40" in letter and "Repayment agreement: £5.00" in letter
    assert "EX-0001-1" in letter and "£103.40" in letter


def test_an_amount_a_person_sets_stops_the_mandate_following_the_account(bacs_ready):
    mandate = _mandate(amount=None)
    actions.change_mandate(mandate, "officer", as_of=D(2026, 3, 16), amount=12000,
                           why="The tenant asked to pay more")
    mandate.refresh_from_db()
    assert (mandate.follows_account, mandate.pending_amount) == (False, 12000)
    assert actions.recalculate_mandates(D(2026, 3, 16), "operator") == []


def test_the_mandate_command_follows_the_account_without_an_amount(bacs_ready, capsys):
    assert main(["payments", "mandate", "EX-0002", "--payer", "B Tenant", "--sort-code",
                 "202959", "--account", "63748472", "--frequency", "weekly", "--day", "4",
                 "--start", "2030-01-04"]) == 0
    mandate = DirectDebitMandate.objects.get()
    assert (mandate.follows_account, mandate.amount) == (True, 12115)
    assert "advance notice sent" in capsys.readouterr().out


def test_the_account_page_says_when_a_holiday_moves_the_next_collection(bacs_ready, client):
    from openincome.staff.actions import add_user

    _mandate(frequency="monthly", day=3, start_date=D(2026, 4, 3))  # Good Friday
    add_user("dd_viewer", "officer", "dd-viewer-password", [], actor="test")
    client.login(username="dd_viewer", password="dd-viewer-password")
    text = client.get("/tenancies/EX-0001/?as_of=2026-04-01").content.decode()
    assert "next collection 3 Apr 2026 (taken 7 Apr 2026, the next working day)" in text


def test_a_payment_on_the_account_does_not_recalculate_a_following_mandate(
        bacs_ready, django_capture_on_commit_callbacks, monkeypatch):
    from django.utils import timezone

    today = timezone.localdate()
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    _mandate(amount=None, as_of=today, start_date=today)
    looked_at = []
    real = actions.recalculate_mandates
    monkeypatch.setattr(actions, "recalculate_mandates",
                        lambda *a, **k: looked_at.append(k["tenancy_ids"]) or real(*a, **k))
    with django_capture_on_commit_callbacks(execute=True):
        actions.take_card_payment(tenancy, 2000, "officer", on=today)
    assert looked_at == []
    with django_capture_on_commit_callbacks(execute=True):
        Charge.objects.create(tenancy=tenancy, charge_code="service", amount=300,
                              frequency="weekly", effective_from=today)
        from openincome.ledger.freshness import touched

        touched([tenancy.pk])
    assert looked_at == [[tenancy.pk]]
    assert DirectDebitMandate.objects.get().pending_amount == 10140
