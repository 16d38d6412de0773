"""openincome statements: a PDF per current tenancy with the quarter's figures, recorded once
per tenancy and quarter; a Breathing Space holds its tenancy's statement."""

import datetime

import pytest
from django.db.models import Max

from openincome.cases.models import Pause
from openincome.cli import main
from openincome.ledger.balances import balance
from openincome.ledger.models import RecordedAction, Tenancy, Transaction
from openincome.letters.actions import statement_note
from openincome.letters.context import owed_words
from openincome.letters.pdf import ADDRESS_BLOCK_MM, pdf_text
from openincome.letters.statements import current_tenancies, file_name, quarter_bounds

from .test_pdf import _address_boxes

pytestmark = pytest.mark.django_db


def test_quarter_bounds():
    assert quarter_bounds("2026Q3") == (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30))
    assert quarter_bounds("2026Q4") == (datetime.date(2026, 10, 1),
                                        datetime.date(2026, 12, 31))
    for bad in ("2026Q5", "2026-3", "Q3"):
        with pytest.raises(ValueError):
            quarter_bounds(bad)


def issued(quarter: str):
    return RecordedAction.objects.filter(code="statement_sent", note=statement_note(quarter))


def _last_quarter() -> tuple[str, datetime.date, datetime.date]:
    last = Transaction.objects.aggregate(d=Max("date"))["d"]
    q = (last.month - 1) // 3  # the quarter before the one holding the last day
    year = last.year if q else last.year - 1
    label = f"{year}Q{q or 4}"
    return (label, *quarter_bounds(label))


def test_a_statement_per_current_tenancy_recorded_once(simulated, tmp_path, capsys):
    quarter, start, end = _last_quarter()
    ids = current_tenancies(end)
    held = Tenancy.objects.get(pk=ids[0])
    Pause.objects.create(tenancy=held, reason="breathing_space_mental_health",
                         start_date=end - datetime.timedelta(days=5))
    assert main(["statements", "--quarter", quarter, "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    files = sorted(p.name for p in tmp_path.glob("*.pdf"))
    assert len(files) == len(ids) - 1 and f"{len(ids) - 1} written" in out
    assert file_name(held.tenancy_ref, quarter) not in files
    assert "1 held by a Breathing Space" in out
    assert issued(quarter).count() == len(ids) - 1
    assert not issued(quarter).filter(tenancy=held).exists()
    for tenancy in Tenancy.objects.filter(pk__in=ids[1:4]):
        pdf = (tmp_path / file_name(tenancy.tenancy_ref, quarter)).read_bytes()
        text = " ".join(pdf_text(pdf).split())
        assert tenancy.payment_reference in text
        assert owed_words(balance(tenancy, end)) in text
        opening = owed_words(balance(tenancy, start - datetime.timedelta(days=1)))
        assert f"Balance before {start.day} {start:%B %Y}: {opening}" in text
        lead = tenancy.tenants.order_by("-is_lead", "person_ref").first()
        if lead is not None:
            assert lead.last_name in text
            line = [tenancy.property.address_line_1]
            [(x, y)] = _address_boxes(pdf, line)
            assert ADDRESS_BLOCK_MM["left"] - 0.5 <= x <= ADDRESS_BLOCK_MM["left"] + 1
            assert ADDRESS_BLOCK_MM["top"] < y <= ADDRESS_BLOCK_MM["top"] + ADDRESS_BLOCK_MM[
                "height"]
    # Again: nothing new is written or recorded.
    for f in tmp_path.glob("*.pdf"):
        f.unlink()
    assert main(["statements", "--quarter", quarter, "--out", str(tmp_path)]) == 0
    assert "0 written" in capsys.readouterr().out and not list(tmp_path.glob("*.pdf"))
    assert issued(quarter).count() == len(ids) - 1


def test_a_bad_out_folder_exits_2_and_records_nothing(simulated, tmp_path, capsys):
    quarter, _, _ = _last_quarter()
    afile = tmp_path / "afile"
    afile.write_text("x")
    assert main(["statements", "--quarter", quarter, "--out", str(afile)]) == 2
    assert not issued(quarter).exists()


def test_statements_sent_through_the_notifier_are_stored_logged_and_sent_once(
        simulated, tmp_path, capsys):
    from openincome.cases.models import Contact
    from openincome.ledger.models import Patch, Property
    from openincome.letters.models import Communication, OutboxItem

    quarter, _, end = _last_quarter()
    # A second patch of a few homes: only its statements are sent.
    patch = Patch.objects.create(code="NORTH").code
    Property.objects.filter(pk__in=Tenancy.objects.filter(pk__in=current_tenancies(end)[:8])
                            .values("property_id")).update(patch=Patch.objects.get(code=patch))
    ids = current_tenancies(end, [patch])
    assert 0 < len(ids) < len(current_tenancies(end))
    held = Tenancy.objects.get(pk=ids[0])
    # A Breathing Space that began after the quarter (today's) holds the send too.
    Pause.objects.create(tenancy=held, reason="breathing_space_standard",
                         start_date=datetime.date.today() - datetime.timedelta(days=1))
    assert main(["statements", "--quarter", quarter, "--patch", patch, "--send",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    # By email to a lead tenant who prefers it and has an address (the simulator has some).
    by_email = {t.pk for t in Tenancy.objects.filter(pk__in=ids[1:], preferred_channel="email")
                if t.tenants.order_by("-is_lead", "person_ref").first().email.strip()}
    assert (f"{len(ids) - 1} sent through the notifier ({len(ids) - 1 - len(by_email)} by "
            f"letter, {len(by_email)} by email)") in out
    assert "1 held by a Breathing Space" in out
    items = list(Communication.objects.select_related("tenancy", "version__template"))
    assert sorted(i.tenancy_id for i in items) == sorted(ids[1:])
    assert {i.version.template.code for i in items} == {"quarterly_statement"}
    assert {i.tenancy_id for i in items if i.channel == "email"} == by_email
    assert {i.channel for i in items} <= {"letter", "email"}
    assert {i.status for i in items} == {"sending"}
    assert {i.sent_by.username for i in items} == {"openincome-system"}
    assert OutboxItem.objects.filter(channel="letter").count() == len(items) - len(by_email)
    assert OutboxItem.objects.filter(channel="email", pdf__isnull=False).count() == len(by_email)
    assert Contact.objects.filter(outcome="sent").count() == len(items)
    assert Contact.history.filter(outcome="sent", history_type="+").count() == len(items)
    assert issued(quarter).count() == len(items)
    assert not Communication.objects.filter(tenancy=held).exists()
    assert len(list(tmp_path.glob("*.pdf"))) == len(items)
    item = next(i for i in items if i.channel == "letter")
    text = " ".join(pdf_text(bytes(item.pdf)).split())
    assert item.tenancy.payment_reference in text
    assert owed_words(balance(item.tenancy, end)) in text
    # Again: nothing is sent twice.
    assert main(["statements", "--quarter", quarter, "--patch", patch, "--send"]) == 0
    assert "0 sent through the notifier (0 by letter, 0 by email)" in capsys.readouterr().out
    assert Communication.objects.count() == len(items)
    assert OutboxItem.objects.count() == len(items)


def test_a_tenant_who_prefers_email_gets_the_statement_by_email_with_its_pdf(
        simulated, capsys):
    from openincome.cases.models import Contact
    from openincome.ledger.models import Patch, Property
    from openincome.letters.models import Communication, OutboxItem

    quarter, _, end = _last_quarter()
    patch = Patch.objects.create(code="NORTH")
    Property.objects.filter(pk__in=Tenancy.objects.filter(pk__in=current_tenancies(end)[:3])
                            .values("property_id")).update(patch=patch)
    emailed, no_address, *others = [Tenancy.objects.get(pk=t)
                                    for t in current_tenancies(end, ["NORTH"])]
    Tenancy.objects.filter(pk__in=[t.pk for t in others]).update(preferred_channel="letter")
    Tenancy.objects.filter(pk__in=[emailed.pk, no_address.pk]).update(preferred_channel="email")
    lead = emailed.tenants.order_by("-is_lead", "person_ref").first()
    lead.email = "tenant@example.org"
    lead.save()
    no_address.tenants.update(email="")
    assert main(["statements", "--quarter", quarter, "--patch", "NORTH", "--send"]) == 0
    assert f"({1 + len(others)} by letter, 1 by email)" in capsys.readouterr().out
    item = Communication.objects.get(tenancy=emailed)
    assert (item.channel, item.recipient, item.tenant) == ("email", "tenant@example.org", lead)
    assert "Download it with the link in this email" in item.text
    assert emailed.payment_reference in pdf_text(bytes(item.pdf))
    kept = OutboxItem.objects.get(reference=item.reference)
    assert (kept.channel, kept.to) == ("email", "tenant@example.org")
    assert bytes(kept.pdf) == bytes(item.pdf)  # the statement goes with the email
    assert Contact.objects.get(tenancy=emailed, outcome="sent").channel == "email"
    assert issued(quarter).get(tenancy=emailed).channel == "email"
    # Email preferred but no address: a letter.
    assert Communication.objects.get(tenancy=no_address).channel == "letter"


def test_the_notify_notifier_sends_a_statement_email_with_a_link_to_its_pdf(monkeypatch):
    from openincome.letters.notifiers import NotifyNotifier

    from .test_sending import FakeNotifyClient

    monkeypatch.setenv("OPENINCOME_NOTIFY_EMAIL_FILE_TEMPLATE_ID", "tpl-email-file")
    client = FakeNotifyClient()
    provider_id = NotifyNotifier(client).send_email(
        "tenant@example.org", "Your rent statement", "Dear Sam", "OI-1", pdf=b"%PDF-1.7 x",
        filename="OI-1.pdf")
    [(kind, call)] = client.calls
    assert (kind, provider_id, call["template_id"]) == ("email", "n-email", "tpl-email-file")
    link = call["personalisation"]["link_to_file"]
    assert link["filename"] == "OI-1.pdf" and link["confirm_email_before_download"] is True
    import base64

    assert base64.b64decode(link["file"]) == b"%PDF-1.7 x"
    assert call["personalisation"]["body"] == "Dear Sam"


@pytest.mark.parametrize("args", [
    ["--quarter", "2026Q3"],  # neither --out nor --send
    ["--quarter", "2026Q5", "--send"],
    ["--quarter", "2026Q3", "--send", "--patch", "NOWHERE"],
])
def test_bad_statement_arguments_exit_2_and_send_nothing(simulated, args, capsys):
    from openincome.letters.models import Communication

    assert main(["statements", *args]) == 2
    assert not Communication.objects.exists() and not issued("2026Q3").exists()


@pytest.mark.parametrize("quarter, today", [
    ("2027Q1", datetime.date(2026, 12, 4)),   # in the future
    ("2026Q4", datetime.date(2026, 12, 4)),   # running
    ("2026Q4", datetime.date(2026, 12, 31)),  # its last day
])
def test_a_quarter_that_has_not_ended_is_refused_and_nothing_is_written(
        simulated, tmp_path, capsys, monkeypatch, quarter, today):
    from django.utils import timezone

    from openincome.letters.models import Communication

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    for how in (["--out", str(tmp_path)], ["--send"]):
        assert main(["statements", "--quarter", quarter, *how]) == 2
        assert "has not ended" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf"))
    assert not issued(quarter).exists()
    assert not RecordedAction.objects.filter(code="statement_sent", date__gte=today).exists()
    assert not Communication.objects.exists()


@pytest.mark.parametrize("how", ["out", "send"])
def test_a_breathing_space_running_on_the_day_of_the_run_holds_the_statement_either_way(
        simulated, tmp_path, capsys, how):
    from django.utils import timezone

    from openincome.letters.models import Communication

    quarter, _, end = _last_quarter()
    held = Tenancy.objects.get(pk=current_tenancies(end)[0])
    # Begun after the quarter ended: only the day of the run finds it.
    Pause.objects.create(tenancy=held, reason="breathing_space_standard",
                         start_date=timezone.localdate())
    args = ["--out", str(tmp_path)] if how == "out" else ["--send"]
    assert main(["statements", "--quarter", quarter, *args]) == 0
    assert "1 held by a Breathing Space" in capsys.readouterr().out
    assert not (tmp_path / file_name(held.tenancy_ref, quarter)).exists()
    assert not issued(quarter).filter(tenancy=held).exists()
    assert not Communication.objects.filter(tenancy=held).exists()
    assert issued(quarter).exists()


def test_statement_wording_says_owed_or_in_credit_and_lists_the_ways_to_pay(landlord):
    from openincome.letters.context import landlord_context
    from openincome.letters.statements import draw_statement, statement_data

    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    start, end = quarter_bounds("2026Q3")
    Transaction.objects.create(tenancy=tenancy, date=start - datetime.timedelta(days=1),
                               type="payment_bank",
                               amount=-balance(tenancy, start - datetime.timedelta(days=1))
                               - 19271)
    [data] = statement_data([tenancy.pk], start, end)
    text = " ".join(pdf_text(draw_statement(data, landlord_context())).split())
    assert f"Balance before {start.day} {start:%B %Y}: £192.71 in credit." in text
    ways = landlord_context()["payment_methods"]
    assert ways and all(way in text and f"- {way}" not in text for way in ways)
