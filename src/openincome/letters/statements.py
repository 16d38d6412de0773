"""Quarterly rent statements for every current tenancy, fast enough for a whole landlord.

The data are read set-wise (one query for opening balances, one for the quarter's
transactions, one for the tenants), and each statement is drawn with ReportLab (about 40 times
faster than laying out HTML), in as many processes as there are cores. The layout follows the
letter's: A4, the address in GOV.UK Notify's address block, the payment reference and the
ways to pay. The statement shows the quarter's charges, the payments by type and the running
balance (the Pre-Action Protocol's quarterly statement).
"""

from __future__ import annotations

import datetime
import io
import os
import re
from collections.abc import Callable, Iterator

from django.db.models import Q, Sum

from openincome.ledger.models import Pause, Tenancy, Tenant, Transaction
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import DEBIT_TYPES, label

from .context import landlord_context, long_date, owed_words
from .pdf import A4_MM, ADDRESS_BLOCK_MM

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
BREATHING_SPACE = ("breathing_space_standard", "breathing_space_mental_health")


def quarter_bounds(text: str) -> tuple[datetime.date, datetime.date]:
    """2026Q3 -> (1 July 2026, 30 September 2026); ValueError for anything else."""
    match = QUARTER.match(text.strip())
    if not match:
        raise ValueError(f"'{text[:20]}' is not a quarter: use YYYYQn, for example 2026Q3")
    year, q = int(match[1]), int(match[2])
    start = datetime.date(year, 3 * q - 2, 1)
    end = (datetime.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
           - datetime.timedelta(days=1))
    return start, end


def current_tenancies(end: datetime.date) -> list[int]:
    """The tenancies current on the quarter's last day, by reference."""
    return list(Tenancy.objects.filter(start_date__lte=end)
                .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
                .order_by("tenancy_ref").values_list("pk", flat=True))


def held_by_breathing_space(tenancy_ids: list[int], on: datetime.date) -> set[int]:
    """Of these tenancies, those a Breathing Space holds on the day (nothing about the debt
    is sent to them)."""
    from openincome.cases.queries import pause_is_active

    pauses = Pause.objects.filter(tenancy_id__in=tenancy_ids, reason__in=BREATHING_SPACE,
                                  start_date__lte=on)
    return {p.tenancy_id for p in pauses if pause_is_active(p, on)}


def statement_data(tenancy_ids: list[int], start: datetime.date,
                   end: datetime.date) -> Iterator[dict]:
    """Each tenancy's statement for the quarter, as plain values (read in a few queries)."""
    opening = dict(Transaction.objects.filter(tenancy_id__in=tenancy_ids, date__lt=start)
                   .values("tenancy_id").annotate(s=Sum("amount")).values_list("tenancy_id",
                                                                              "s"))
    lines: dict[int, list[tuple]] = {}
    for tenancy_id, day, tx_type, amount in (
            Transaction.objects.filter(tenancy_id__in=tenancy_ids, date__gte=start,
                                       date__lte=end)
            .order_by("tenancy_id", "date", "id")
            .values_list("tenancy_id", "date", "type", "amount").iterator(chunk_size=20000)):
        lines.setdefault(tenancy_id, []).append((day, tx_type, amount))
    names: dict[int, list[str]] = {}
    for tenancy_id, title, first, last in (
            Tenant.objects.filter(tenancy_id__in=tenancy_ids)
            .order_by("tenancy_id", "-is_lead", "person_ref")
            .values_list("tenancy_id", "title", "first_name", "last_name")):
        names.setdefault(tenancy_id, []).append(" ".join(p for p in (title, first, last) if p))
    tenancies = (Tenancy.objects.filter(pk__in=tenancy_ids).select_related("property")
                 .order_by("tenancy_ref"))
    for tenancy in tenancies:
        prop = tenancy.property
        running = int(opening.get(tenancy.pk) or 0)
        first = running
        rows, charged, by_type = [], 0, {}
        for day, tx_type, amount in lines.get(tenancy.pk, []):
            running += amount
            debit = tx_type in DEBIT_TYPES
            if debit:
                charged += amount
            else:
                by_type[tx_type] = by_type.get(tx_type, 0) - amount
            rows.append((long_date(day), label(tx_type), pounds(amount) if debit else "",
                         "" if debit else pounds(-amount), pounds(running)))
        who = names.get(tenancy.pk, [])
        yield {
            "tenancy_id": tenancy.pk, "tenancy_ref": tenancy.tenancy_ref,
            "payment_reference": tenancy.payment_reference or tenancy.tenancy_ref,
            "to": " and ".join(who) or "The tenant",
            "address": [x for x in (prop.address_line_1, prop.address_line_2, prop.town,
                                    prop.postcode) if x],
            "from": long_date(start), "until": long_date(end), "opening": pounds(first),
            "closing": owed_words(running), "charged": pounds(charged),
            "paid": pounds(sum(by_type.values())),
            "payments": [(label(k), pounds(v)) for k, v in sorted(by_type.items())],
            "rows": rows,
        }


def draw_statement(data: dict, landlord: dict) -> bytes:
    """One statement as an A4 PDF (ReportLab)."""
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=13,
                          spaceAfter=6)
    head = ParagraphStyle("head", parent=body, fontName="Helvetica-Bold", fontSize=13,
                          leading=16)
    block = ADDRESS_BLOCK_MM

    def first_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 12)
        right = (A4_MM[0] - 15) * mm
        canvas.drawRightString(right, (A4_MM[1] - 20) * mm, landlord["name"])
        canvas.setFont("Helvetica", 9)
        y = A4_MM[1] - 25
        for line in landlord["address_lines"] + ([f"Telephone {landlord['phone']}"]
                                                 if landlord["phone"] else []):
            canvas.drawRightString(right, y * mm, line)
            y -= 4.2
        canvas.setFont("Helvetica", 10)
        y = A4_MM[1] - block["top"] - 4.5
        for line in [data["to"], *data["address"]][:7]:
            canvas.drawString(block["left"] * mm, y * mm, line)
            y -= 4.2
        canvas.drawString(15 * mm, (A4_MM[1] - 75) * mm, f"Statement date: {data['until']}")
        canvas.drawString(15 * mm, (A4_MM[1] - 80) * mm,
                          f"Your payment reference: {data['payment_reference']}")
        canvas.restoreState()
        _page_number(canvas, doc)

    def _page_number(canvas, doc):
        canvas.setFont("Helvetica", 8)
        canvas.drawCentredString(A4_MM[0] / 2 * mm, 10 * mm, f"Page {doc.page}")

    story = [
        Paragraph("Your rent statement", head),
        Paragraph(escape(f"Dear {data['to']}, this statement shows the charges on your rent "
                         f"account and the payments we received from {data['from']} to "
                         f"{data['until']}."), body),
        Paragraph(escape(f"Balance before {data['from']}: {data['opening']}. Charges: "
                         f"{data['charged']}. Payments: {data['paid']}. Balance on "
                         f"{data['until']}: {data['closing']}."), body),
    ]
    if data["payments"]:
        story.append(Paragraph(escape("Payments by type: " + "; ".join(
            f"{k} {v}" for k, v in data["payments"]) + "."), body))
    table = [["Date", "What", "Charge", "Payment", "Balance"], *data["rows"]] if data[
        "rows"] else [["Date", "What", "Charge", "Payment", "Balance"],
                      ["", "No charges or payments in this quarter", "", "", ""]]
    grid = Table(table, colWidths=[32 * mm, 58 * mm, 28 * mm, 28 * mm, 30 * mm],
                 repeatRows=1)
    grid.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), "Helvetica", 8.5),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 8.5),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
    ]))
    story += [grid, Spacer(1, 6 * mm), Paragraph("How to pay", head),
              Paragraph(escape(f"Always quote your payment reference: "
                               f"{data['payment_reference']}."), body)]
    story += [Paragraph(escape(f"- {way}"), body) for way in landlord["payment_methods"]]
    if landlord["phone"]:
        story.append(Paragraph(escape(f"Questions about your rent? Call us on "
                                      f"{landlord['phone']}."), body))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=88 * mm, bottomMargin=18 * mm,
                            title="Rent statement", author=landlord["name"])
    # Later pages use the whole height: the address block is on the first page only.
    from reportlab.platypus import Frame, PageTemplate

    later = Frame(15 * mm, 18 * mm, (A4_MM[0] - 30) * mm, (A4_MM[1] - 33) * mm, id="later")
    doc.addPageTemplates([
        PageTemplate(id="First", frames=[Frame(15 * mm, 18 * mm, (A4_MM[0] - 30) * mm,
                                               (A4_MM[1] - 106) * mm, id="first")],
                     onPage=first_page, autoNextPageTemplate="Later"),
        PageTemplate(id="Later", frames=[later], onPage=_page_number)])
    doc.build(story)
    return out.getvalue()


def file_name(tenancy_ref: str, quarter: str) -> str:
    """The statement's file name in the output folder."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", tenancy_ref)
    return f"{safe}-{quarter}.pdf"


def write_statements(tenancy_ids: list[int], quarter: str, out_dir: str,
                     progress: Callable[[int], None] = lambda n: None) -> int:
    """Draw these tenancies' statements into out_dir (one process); how many."""
    start, end = quarter_bounds(quarter)
    landlord = landlord_context()
    made = 0
    for data in statement_data(tenancy_ids, start, end):
        path = os.path.join(out_dir, file_name(data["tenancy_ref"], quarter))
        with open(path + ".part", "wb") as fh:
            fh.write(draw_statement(data, landlord))
        os.replace(path + ".part", path)  # a half-written file never carries the name
        made += 1
        progress(1)
    return made


def _worker(args: tuple[list[int], str, str]) -> int:
    from django.db import connections

    connections.close_all()  # a forked process opens its own connection
    ids, quarter, out_dir = args
    return write_statements(ids, quarter, out_dir)


def write_all(tenancy_ids: list[int], quarter: str, out_dir: str, *, processes: int = 0,
              progress: Callable[[int], None] = lambda n: None, chunk: int = 250) -> int:
    """Draw every statement, in chunks spread over processes (one per core by default)."""
    processes = processes or os.cpu_count() or 1
    chunks = [tenancy_ids[i:i + chunk] for i in range(0, len(tenancy_ids), chunk)]
    if processes == 1 or len(chunks) == 1:
        return sum(write_statements(c, quarter, out_dir, progress) for c in chunks)
    import multiprocessing

    from django.db import connection, connections

    if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
        return sum(write_statements(c, quarter, out_dir, progress) for c in chunks)
    connections.close_all()
    made = 0
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for count in pool.imap_unordered(_worker, [(c, quarter, out_dir) for c in chunks]):
            made += count
            progress(count)
    return made
