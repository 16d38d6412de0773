"""Every template rendered against the simulator's landlord: the PDF's text carries the
figures, the tenant's name and the payment reference, and the address sits in the window."""

import datetime
import io

import pytest
from django.db.models import Max, Sum
from pypdf import PdfReader

from openincome.ledger.models import Tenancy, Transaction
from openincome.letters.models import Template
from openincome.letters.pdf import A4_MM, ADDRESS_BLOCK_MM, pdf_text, render_pdf
from openincome.letters.queries import compose

pytestmark = pytest.mark.django_db
MM = 72 / 25.4  # PDF points per millimetre


def _in_arrears() -> tuple[Tenancy, datetime.date]:
    as_of = Transaction.objects.aggregate(d=Max("date"))["d"]
    owing = (Tenancy.objects.filter(end_date__isnull=True, transactions__date__lte=as_of)
             .annotate(b=Sum("transactions__amount")).filter(b__gt=5000)
             .order_by("tenancy_ref"))
    tenancy = next(t for t in owing if t.tenants.exists())
    return tenancy, as_of


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_every_template_renders_with_the_simulated_landlords_figures(simulated):
    tenancy, as_of = _in_arrears()
    tenant = tenancy.tenants.first()
    for template in Template.objects.all():
        out = compose(template.current(), tenancy, as_of, tenant)
        context_arrears = out.text  # the filled text, before layout
        if template.channel != "letter":
            assert tenancy.payment_reference in out.text or template.channel == "sms"
            assert "£" in context_arrears, template
            continue
        text = _flat(pdf_text(render_pdf(out.html)))
        for needed in (tenant.full_name, tenancy.payment_reference, tenancy.property.postcode):
            assert needed in text, (template.code, needed)
        # Every sum of money the filled wording states is printed in the letter.
        for word in _flat(out.text).split():
            if word.startswith("£"):
                assert word.rstrip(".,") in text, (template.code, word)
        if template.statement:
            assert "Balance" in text and "Payments" in text, template.code


def test_the_statement_letter_lists_each_transaction_with_the_running_balance(simulated):
    tenancy, as_of = _in_arrears()
    out = compose(Template.objects.get(code="quarterly_statement").current(), tenancy, as_of)
    text = _flat(pdf_text(render_pdf(out.html)))
    from openincome.ledger.balances import balance
    from openincome.ledger.pence import pounds
    from openincome.letters.context import last_complete_quarter

    # The last calendar quarter that has ended.
    _, since, until = last_complete_quarter(as_of)
    rows = list(Transaction.objects.filter(tenancy=tenancy, date__gte=since, date__lte=until))
    assert rows
    assert f"{pounds(balance(tenancy, until))} owed" in text or pounds(
        -balance(tenancy, until)) in text
    assert f"{since.day} {since:%B %Y}" in text and f"{until.day} {until:%B %Y}" in text


def _address_boxes(pdf: bytes, lines: list[str]) -> list[tuple[float, float]]:
    """The (x, y) in mm from the page's top-left corner where each address line starts."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    found: dict[str, tuple[float, float]] = {}

    def visit(text, cm, tm, font, size):
        x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
        if text.strip() in lines and text.strip() not in found:
            found[text.strip()] = (x / MM, A4_MM[1] - y / MM)

    page.extract_text(visitor_text=visit)
    return [found[line] for line in lines]


def test_the_address_sits_in_the_notify_address_block(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0002")
    out = compose(Template.objects.get(code="letter_1", channel="letter").current(), tenancy,
                  datetime.date(2026, 11, 23), tenancy.tenants.get())
    pdf = render_pdf(out.html)
    assert PdfReader(io.BytesIO(pdf)).pages[0].mediabox.width == pytest.approx(A4_MM[0] * MM,
                                                                                abs=1)
    lines = ["Sam Patel", "2 Elm Road", "Northtown", "NN1 1AA"]
    block = ADDRESS_BLOCK_MM
    for x, y in _address_boxes(pdf, lines):
        assert block["left"] - 0.5 <= x <= block["left"] + block["width"]
        # y is the text's baseline: the line lies within the block's height.
        assert block["top"] < y <= block["top"] + block["height"]


def test_letter_1_prints_the_tenants_name_the_arrears_the_engine_found_and_the_reference(
        simulated):
    from openincome.cases.queries import recommendation
    from openincome.ledger.pence import pounds

    tenancy, as_of = _in_arrears()
    tenant = tenancy.tenants.first()
    out = compose(Template.objects.get(code="letter_1", channel="letter").current(), tenancy,
                  as_of, tenant)
    pdf = render_pdf(out.html)
    text = _flat(pdf_text(pdf))
    arrears = recommendation(tenancy, as_of)["arrears"]
    assert arrears > 0
    assert f"You owe {pounds(arrears)} in rent" in text
    assert tenant.full_name in text and tenancy.payment_reference in text
    # The name heads the address in the window, where Notify reads it.
    [(x, y)] = _address_boxes(pdf, [tenant.full_name])
    block = ADDRESS_BLOCK_MM
    assert block["left"] - 0.5 <= x <= block["left"] + block["width"]
    assert block["top"] < y <= block["top"] + block["height"]
