"""openincome statements: a PDF per current tenancy with the quarter's figures, recorded once
per tenancy and quarter; a Breathing Space holds its tenancy's statement."""

import datetime

import pytest
from django.db.models import Max

from openincome.cases.models import Pause
from openincome.cli import main
from openincome.ledger.balances import balance
from openincome.ledger.models import RecordedAction, Tenancy, Transaction
from openincome.ledger.pence import pounds
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
        opening = pounds(balance(tenancy, start - datetime.timedelta(days=1)))
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
    assert f"{len(ids) - 1} sent through the notifier" in out
    assert "1 held by a Breathing Space" in out
    items = list(Communication.objects.select_related("tenancy", "version__template"))
    assert sorted(i.tenancy_id for i in items) == sorted(ids[1:])
    assert {i.version.template.code for i in items} == {"quarterly_statement"}
    assert {i.channel for i in items} == {"letter"} and {i.status for i in items} == {"sending"}
    assert {i.sent_by.username for i in items} == {"openincome-system"}
    assert OutboxItem.objects.filter(channel="letter").count() == len(items)
    assert Contact.objects.filter(outcome="sent").count() == len(items)
    assert Contact.history.filter(outcome="sent", history_type="+").count() == len(items)
    assert issued(quarter).count() == len(items)
    assert not Communication.objects.filter(tenancy=held).exists()
    assert len(list(tmp_path.glob("*.pdf"))) == len(items)
    item = items[0]
    text = " ".join(pdf_text(bytes(item.pdf)).split())
    assert item.tenancy.payment_reference in text
    assert owed_words(balance(item.tenancy, end)) in text
    # Again: nothing is sent twice.
    assert main(["statements", "--quarter", quarter, "--patch", patch, "--send"]) == 0
    assert "0 sent through the notifier" in capsys.readouterr().out
    assert Communication.objects.count() == len(items)
    assert OutboxItem.objects.count() == len(items)


@pytest.mark.parametrize("args", [
    ["--quarter", "2026Q3"],  # neither --out nor --send
    ["--quarter", "2026Q5", "--send"],
    ["--quarter", "2026Q3", "--send", "--patch", "NOWHERE"],
])
def test_bad_statement_arguments_exit_2_and_send_nothing(simulated, args, capsys):
    from openincome.letters.models import Communication

    assert main(["statements", *args]) == 2
    assert not Communication.objects.exists() and not issued("2026Q3").exists()
