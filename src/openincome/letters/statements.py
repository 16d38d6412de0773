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

from openincome.cases.models import Pause
from openincome.ledger.models import Tenancy, Tenant, Transaction
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


def current_tenancies(end: datetime.date, patches: list[str] | None = None) -> list[int]:
    """The tenancies current on the quarter's last day (in these patches, when named), by
    reference."""
    rows = (Tenancy.objects.filter(start_date__lte=end)
            .filter(Q(end_date__isnull=True) | Q(end_date__gt=end)))
    if patches:
        rows = rows.filter(property__patch__code__in=patches)
    return list(rows.order_by("tenancy_ref").values_list("pk", flat=True))


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
            "from": long_date(start), "until": long_date(end), "opening": owed_words(first),
            "closing": owed_words(running), "charged": pounds(charged),
            "paid": pounds(sum(by_type.values())),
            "payments": [(label(k), pounds(v)) for k, v in sorted(by_type.items())],
            "rows": rows,
        }


def draw_statement(data: dict, landlord: dict) -> bytes:
    """One statement as an A4 PDF, drawn line by line on a ReportLab canvas (no layout
    engine: a statement is a letterhead, an address, a few sentences and a table)."""
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    mm = 72 / 25.4
    width, height = A4_MM[0] * mm, A4_MM[1] * mm
    left, right, bottom = 15 * mm, width - 15 * mm, 20 * mm
    out = io.BytesIO()
    pdf = Canvas(out, pagesize=(width, height), pageCompression=1)
    pdf.setTitle("Rent statement")
    pdf.setAuthor(landlord["name"])
    page = [1]

    def footer() -> None:
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(width / 2, 10 * mm, f"Page {page[0]}")

    # Letterhead, right; the address in the Notify address block; the date and reference.
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawRightString(right, height - 20 * mm, landlord["name"])
    pdf.setFont("Helvetica", 9)
    y = height - 25 * mm
    for line in landlord["address_lines"] + ([f"Telephone {landlord['phone']}"]
                                             if landlord["phone"] else []):
        pdf.drawRightString(right, y, line)
        y -= 4.2 * mm
    block = ADDRESS_BLOCK_MM
    pdf.setFont("Helvetica", 10)
    y = height - (block["top"] + 4.5) * mm
    for line in [data["to"], *data["address"]][:6]:
        pdf.drawString(block["left"] * mm, y, line)
        y -= 4.2 * mm
    pdf.drawString(left, height - 75 * mm, f"Statement date: {data['until']}")
    pdf.drawString(left, height - 80 * mm,
                   f"Your payment reference: {data['payment_reference']}")
    y = height - 92 * mm

    def need(space: float) -> None:
        nonlocal y
        if y - space < bottom:
            footer()
            pdf.showPage()
            page[0] += 1
            y = height - 20 * mm

    def paragraph(text: str, font: str = "Helvetica", size: float = 10,
                  after: float = 2.5 * mm) -> None:
        nonlocal y
        for line in simpleSplit(text, font, size, right - left):
            need(size * 1.3)
            pdf.setFont(font, size)
            pdf.drawString(left, y, line)
            y -= size * 1.3
        y -= after

    paragraph("Your rent statement", "Helvetica-Bold", 13)
    paragraph(f"Dear {data['to']}, this statement shows the charges on your rent account and "
              f"the payments we received from {data['from']} to {data['until']}.")
    paragraph(f"Balance before {data['from']}: {data['opening']}. Charges: {data['charged']}. "
              f"Payments: {data['paid']}. Balance on {data['until']}: {data['closing']}.")
    if data["payments"]:
        paragraph("Payments by type: " + "; ".join(f"{k} {v}" for k, v in data["payments"])
                  + ".")
    columns = [(left, "Date", False), (left + 34 * mm, "What", False),
               (left + 118 * mm, "Charge", True), (left + 148 * mm, "Payment", True),
               (right, "Balance", True)]

    def row(values, font: str) -> None:
        nonlocal y
        pdf.setFont(font, 8.5)
        for (x, _, numeric), value in zip(columns, values, strict=True):
            (pdf.drawRightString if numeric else pdf.drawString)(x, y, value)
        pdf.setLineWidth(0.3)
        pdf.line(left, y - 1.6 * mm, right, y - 1.6 * mm)
        y -= 5.2 * mm

    def header() -> None:
        row([c[1] for c in columns], "Helvetica-Bold")

    need(12 * mm)
    header()
    for values in data["rows"] or [("", "No charges or payments in this quarter", "", "", "")]:
        if y - 5.2 * mm < bottom:
            need(10 * mm)
            header()
        row(values, "Helvetica")
    y -= 4 * mm
    paragraph("How to pay", "Helvetica-Bold", 12)
    paragraph(f"Always quote your payment reference: {data['payment_reference']}.")
    for way in landlord["payment_methods"]:
        # A list, as the letters show it: a drawn bullet and the text indented.
        for n, line in enumerate(simpleSplit(way, "Helvetica", 10, right - left - 6 * mm)):
            need(13)
            if n == 0:
                pdf.circle(left + 1.6 * mm, y + 1.2 * mm, 0.7 * mm, stroke=0, fill=1)
            pdf.setFont("Helvetica", 10)
            pdf.drawString(left + 6 * mm, y, line)
            y -= 13
        y -= 1 * mm
    if landlord["phone"]:
        paragraph(f"Questions about your rent? Call us on {landlord['phone']}.")
    footer()
    pdf.showPage()
    pdf.save()
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

    # Other processes see only committed rows (and an in-memory SQLite database not at all):
    # inside a transaction, or on such a database, draw here.
    if connection.in_atomic_block or (
            connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"])):
        return sum(write_statements(c, quarter, out_dir, progress) for c in chunks)
    connections.close_all()
    made = 0
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for count in pool.imap_unordered(_worker, [(c, quarter, out_dir) for c in chunks]):
            made += count
            progress(count)
    return made
