"""Every change the payments app makes, in the actions convention (see cases.actions): one
durable transaction each, the bulk writers' lock for file imports and the tenancy lock for
the rest, an audit row, and the freshness hook for the tenancies touched.

Money is never edited: a payment is posted as a new ledger Transaction; an allocation from
suspense is a Transaction plus a suspense movement; a misposted payment is moved by a
transfer (a reversal on one account and a new payment on the other, both linked to it).
"""

from __future__ import annotations

import datetime
import hashlib
from collections import namedtuple
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import polars as pl
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from openincome.audit.log import record
from openincome.common.workdays import (
    business_day_on_or_after,
    business_days_after,
    business_days_before,
    is_business_day,
)
from openincome.interchange.bulk import insert_frame
from openincome.interchange.errors import ImportFailed, Problems
from openincome.ledger.freshness import touched
from openincome.ledger.locks import (
    bulk_writer,
    lock_tenancies,
    lock_tenancy,
    take_bulk_writers_lock,
)
from openincome.ledger.models import Tenancy, Transaction
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import label

from . import bacs
from .models import (
    AdvanceNotice,
    BankCsvMapping,
    CardPayment,
    DirectDebitCollection,
    DirectDebitFile,
    DirectDebitMandate,
    DirectDebitOriginator,
    DirectDebitTask,
    ModulusWeight,
    Payment,
    PaymentImport,
    SuspenseMovement,
    Transfer,
)
from .parsers import REGISTRY, Parsed
from .plan import PAYMENT_TYPES, plan


class PaymentStateError(Exception):
    """The payment is not in a state that allows this (already allocated, resolved, ...)."""


def actor_name(actor) -> str:
    """The name the audit trail and the payment rows keep for who acted."""
    if getattr(actor, "pk", None):
        return actor.get_username()
    return actor if isinstance(actor, str) and actor else "system"


@dataclass
class ImportSummary:
    """What importing one file did; the four buckets add up to the file's total."""

    source: str
    filename: str
    import_id: int | None = None
    rows: int = 0
    total: int = 0
    posted: tuple[int, int] = (0, 0)  # (count, pence)
    suspense: tuple[int, int] = (0, 0)
    held: tuple[int, int] = (0, 0)
    already: tuple[int, int] = (0, 0)
    ignored: int = 0
    control_total: int | None = None
    seen_before: PaymentImport | None = None  # the same file, imported earlier
    touched: list[int] = field(default_factory=list)

    @property
    def reconciled(self) -> bool:
        """Σ posted + Σ suspense + Σ held + Σ already imported = the file's total."""
        parts = self.posted[1] + self.suspense[1] + self.held[1] + self.already[1]
        return parts == self.total and (self.control_total in (None, self.total))

    def summary_lines(self) -> list[str]:
        """The summary as the command prints it (the upload page shows the same figures)."""
        if self.seen_before is not None:
            seen = self.seen_before
            return [f"{self.filename}: this file was imported on "
                    f"{timezone.localtime(seen.imported_at):%d %b %Y %H:%M} (import "
                    f"{seen.pk}); nothing posted"]
        lines = [f"{self.filename} ({REGISTRY[self.source].label}): {self.rows:,} payments, "
                 f"total {pounds(self.total)}"]
        for name, (count, amount) in (("posted", self.posted), ("to suspense", self.suspense),
                                      ("held as possible duplicates", self.held),
                                      ("already imported", self.already)):
            lines.append(f"  {name}: {count:,} ({pounds(amount)})")
        if self.ignored:
            lines.append(f"  not payments (money out or not booked), ignored: {self.ignored:,}")
        check = " + ".join(pounds(a) for _, a in (self.posted, self.suspense, self.held,
                                                  self.already))
        lines.append(f"  reconciled: {check} = {pounds(self.total)}"
                     + (" (the file's own total agrees)" if self.control_total is not None
                        else ""))
        return lines


def file_hash(data: bytes) -> str:
    """The content hash that identifies a file imported before."""
    return hashlib.sha256(data).hexdigest()


def read_payment_file(path: Path, source: str, mapping: BankCsvMapping | None = None) -> Parsed:
    """Validate a whole file; raises ImportFailed with every problem (nothing written)."""
    if source not in REGISTRY:
        raise ValueError(f"unknown payment source {source!r}")
    problems = Problems()
    parsed = REGISTRY[source].parse(Path(path), problems, mapping)
    if problems.count() or parsed is None:
        raise ImportFailed(problems.errors())
    return parsed


def import_payment_file(path: str | Path, source: str, *, actor=None,
                        mapping: BankCsvMapping | None = None,
                        filename: str | None = None) -> ImportSummary:
    """Validate a payment file whole, then post it: matched rows to their tenancies, the rest
    to suspense or held for finance; raises ImportFailed (nothing written) on any problem."""
    path = Path(path)
    parsed = read_payment_file(path, source, mapping)
    return _post_file(parsed, source, filename or path.name, file_hash(path.read_bytes()),
                      actor)


def _count(frame: pl.DataFrame, status: str) -> tuple[int, int]:
    part = frame.filter(pl.col("status") == status)
    return part.height, int(part["amount"].sum() or 0)


# One import at a time, planned under the lock: importing a file twice at once posts it once.
@bulk_writer("payment import")
def _post_file(parsed: Parsed, source: str, filename: str, digest: str, actor) -> ImportSummary:
    summary = ImportSummary(source=source, filename=filename, rows=parsed.frame.height,
                            total=int(parsed.frame["amount"].sum() or 0),
                            ignored=parsed.ignored, control_total=parsed.control_total)
    seen = PaymentImport.objects.filter(content_hash=digest).first()
    if seen is not None:
        summary.seen_before = seen
        return summary
    planned = plan(parsed.frame, source)
    summary.posted, summary.suspense = _count(planned, "posted"), _count(planned, "suspense")
    summary.held, summary.already = _count(planned, "held"), _count(planned, "already")
    if not summary.reconciled:  # a bug, never bad input: write nothing
        raise RuntimeError(f"payment file {filename} does not reconcile: "
                           f"{summary.summary_lines()}")
    name = actor_name(actor)
    run = PaymentImport.objects.create(
        source=source, filename=filename[:255], content_hash=digest, actor_name=name,
        rows=summary.rows, total=summary.total, ignored_count=summary.ignored,
        posted_count=summary.posted[0], posted_total=summary.posted[1],
        suspense_count=summary.suspense[0], suspense_total=summary.suspense[1],
        held_count=summary.held[0], held_total=summary.held[1],
        already_count=summary.already[0], already_total=summary.already[1])
    summary.import_id = run.pk
    rows = planned.filter(pl.col("status") != "already").with_columns(
        pl.when(pl.col("status") == "posted")
        .then(pl.format("PAY{}-{}", pl.lit(run.pk), pl.col("_line")))
        .otherwise(pl.lit("")).alias("transaction_ref"))
    insert_frame(Payment, rows.rename({"_line": "line"}).with_columns(
        pl.lit(run.pk).alias("import_run_id"), pl.lit(source).alias("source"),
        pl.when(pl.col("status") == "suspense").then(None).otherwise(pl.col("tenancy_id"))
        .alias("tenancy_id")))
    posted = rows.filter(pl.col("status") == "posted")
    insert_frame(Transaction, posted.select(
        "transaction_ref", "tenancy_id", "date", pl.col("tx_type").alias("type"),
        (-pl.col("amount")).alias("amount"),
        pl.format("{}, ref {} ({} line {})", pl.col("tx_type").replace_strict(
            {t: label(t) for t in PAYMENT_TYPES}, default=pl.col("tx_type")),
            pl.col("reference"), pl.lit(filename[:120]), pl.col("_line"))
        .str.slice(0, 300).alias("description")))
    waiting = list(Payment.objects.filter(import_run=run, status="suspense")
                   .values_list("id", "amount", "reason_detail"))
    if waiting:
        insert_frame(SuspenseMovement, pl.DataFrame(
            waiting, schema={"payment_id": pl.Int64, "amount": pl.Int64, "note": pl.String},
            orient="row"), fixed={"kind": "in", "actor_name": name, "transaction_ref": ""})
    summary.touched = posted["tenancy_id"].unique().to_list()
    touched(summary.touched)
    record("payment_import", actor=actor, object_type="payment_file", object_ref=filename[:100],
           why=f"{REGISTRY[source].label} imported",
           details={"import_id": run.pk, "source": source, "rows": summary.rows,
                    "total_pence": summary.total, "posted": list(summary.posted),
                    "suspense": list(summary.suspense), "held": list(summary.held),
                    "already": list(summary.already), "ignored": summary.ignored})
    return summary


def _locked_payment(payment_id: int) -> Payment:
    return (Payment.objects.select_for_update(no_key=True, of=("self",))
            .select_related("tenancy").get(pk=payment_id))


def _post(payment: Payment, tenancy: Tenancy, ref: str, how: str) -> Transaction:
    description = (f"{label(payment.tx_type)}, ref {payment.reference or 'none'} "
                   f"({how}, received {payment.date:%d %b %Y})")
    return Transaction.objects.create(
        transaction_ref=ref, tenancy=tenancy, date=payment.date, type=payment.tx_type,
        amount=-payment.amount, description=description[:300])


def allocate_suspense(payment_id: int, tenancy: Tenancy, actor, *, note: str = "") -> Payment:
    """Allocate a payment waiting in suspense to a tenancy: a ledger Transaction on the
    tenancy and a movement out of suspense, audited."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        payment = _locked_payment(payment_id)
        if payment.status != "suspense":
            raise PaymentStateError("this payment is no longer in suspense (it was allocated or "
                                    "resolved already)")
        ref = f"SUS{payment.pk}"
        _post(payment, tenancy, ref, "allocated from suspense")
        name = actor_name(actor)
        payment.status, payment.tenancy, payment.transaction_ref = "allocated", tenancy, ref
        payment.resolved_by, payment.resolved_at = name, timezone.now()
        payment.resolution_note = note[:300]
        payment.save(update_fields=["status", "tenancy", "transaction_ref", "resolved_by",
                                    "resolved_at", "resolution_note"])
        SuspenseMovement.objects.create(payment=payment, kind="out", amount=payment.amount,
                                        tenancy=tenancy, transaction_ref=ref, actor_name=name,
                                        note=note[:300])
        record("allocate_suspense", actor=actor, object_type="payment",
               object_ref=str(payment.pk), why=note or "payment allocated from suspense",
               details={"tenancy_ref": tenancy.tenancy_ref, "amount_pence": payment.amount,
                        "transaction_ref": ref, "source": payment.source,
                        "source_ref": payment.source_ref})
        touched([tenancy.pk])
    return payment


DECISIONS = ("confirm", "reject")


def resolve_duplicate(payment_id: int, decision: str, actor, *, note: str = "") -> Payment:
    """Finance's decision on a payment held as a possible duplicate: confirm (post it to its
    tenancy, or to suspense when it matched none) or reject (not posted; the reason kept)."""
    if decision not in DECISIONS:
        raise ValueError(f"decision must be one of {', '.join(DECISIONS)}")
    if decision == "reject" and not note.strip():
        raise ValueError("say why the payment is rejected")
    with transaction.atomic(durable=True):
        head = Payment.objects.filter(pk=payment_id).values_list("tenancy_id", flat=True).first()
        if head:
            lock_tenancy(head)
        payment = _locked_payment(payment_id)
        if payment.status != "held":
            raise PaymentStateError("this payment is no longer held (it was resolved already)")
        name = actor_name(actor)
        payment.resolved_by, payment.resolved_at = name, timezone.now()
        payment.resolution_note = note[:300]
        details = {"decision": decision, "amount_pence": payment.amount,
                   "source": payment.source, "source_ref": payment.source_ref}
        if decision == "reject":
            payment.status = "rejected"
        elif payment.tenancy is not None:
            ref = f"DUP{payment.pk}"
            _post(payment, payment.tenancy, ref, "confirmed by finance")
            payment.status, payment.transaction_ref = "confirmed", ref
            details.update(transaction_ref=ref, tenancy_ref=payment.tenancy.tenancy_ref)
            touched([payment.tenancy_id])
        else:
            payment.status = "suspense"
            SuspenseMovement.objects.create(payment=payment, kind="in", amount=payment.amount,
                                            actor_name=name, note="confirmed, matched no tenancy")
        payment.save(update_fields=["status", "transaction_ref", "resolved_by", "resolved_at",
                                    "resolution_note"])
        record(f"duplicate_{decision}ed", actor=actor, object_type="payment",
               object_ref=str(payment.pk), why=note or "possible duplicate confirmed",
               details=details)
    return payment


def transfer_payment(transaction_ref: str, to_tenancy: Tenancy, actor, *, on: datetime.date,
                     why: str) -> Transfer:
    """Move a misposted payment: a reversal on its account and a new payment on `to_tenancy`,
    both dated `on` and linked to the original, which is left as it is."""
    if not why.strip():
        raise ValueError("say why the payment is moved")
    with transaction.atomic(durable=True):
        original = Transaction.objects.filter(transaction_ref=transaction_ref).first()
        if original is None:
            raise PaymentStateError(f"no transaction {transaction_ref}")
        if original.type not in PAYMENT_TYPES:
            raise PaymentStateError(f"{transaction_ref} is a {label(original.type).lower()}, "
                                    "not a payment received")
        if original.tenancy_id == to_tenancy.pk:
            raise PaymentStateError("the payment is already on that account")
        lock_tenancies([original.tenancy_id, to_tenancy.pk])
        if Transfer.objects.filter(original_ref=transaction_ref).exists():
            raise PaymentStateError(f"{transaction_ref} has been moved already")
        source = original.tenancy
        moved = Transfer.objects.create(
            original_ref=transaction_ref, from_tenancy=source, to_tenancy=to_tenancy,
            amount=-original.amount, why=why[:300], actor_name=actor_name(actor))
        Transaction.objects.create(
            transaction_ref=moved.reversal_ref, tenancy=source, date=on, type="payment_reversal",
            amount=-original.amount,
            description=f"Payment {transaction_ref} moved to {to_tenancy.tenancy_ref}: {why}"[:300])
        Transaction.objects.create(
            transaction_ref=moved.new_ref, tenancy=to_tenancy, date=on, type=original.type,
            amount=original.amount,
            description=f"Payment {transaction_ref} moved from {source.tenancy_ref}: {why}"[:300])
        record("transfer_payment", actor=actor, object_type="transaction",
               object_ref=transaction_ref, why=why,
               details={"from": source.tenancy_ref, "to": to_tenancy.tenancy_ref,
                        "amount_pence": moved.amount, "reversal_ref": moved.reversal_ref,
                        "new_ref": moved.new_ref, "on": on.isoformat()})
        touched([source.pk, to_tenancy.pk])
    return moved


MAPPING_FIELDS = ("date_column", "date_format", "amount_column", "credit_column",
                  "reference_column", "id_column", "description_column")


def save_bank_mapping(name: str, actor, **columns: str) -> BankCsvMapping:
    """Save (or replace) a named bank statement column mapping, audited."""
    unknown = set(columns) - set(MAPPING_FIELDS)
    if unknown:
        raise ValueError(f"unknown mapping fields: {', '.join(sorted(unknown))}")
    values = {f: (columns.get(f) or "").strip() for f in MAPPING_FIELDS}
    if not values["date_column"] or not values["reference_column"]:
        raise ValueError("a mapping needs the date column and the reference column")
    if bool(values["amount_column"]) == bool(values["credit_column"]):
        raise ValueError("give either the amount column (signed) or the credit column, not both")
    values["date_format"] = values["date_format"] or "%d/%m/%Y"
    from .models import DATE_FORMATS

    if values["date_format"] not in DATE_FORMATS:
        raise ValueError(f"date format must be one of {', '.join(DATE_FORMATS)}")
    with transaction.atomic(durable=True):
        mapping, created = BankCsvMapping.objects.update_or_create(name=name, defaults=values)
        record("bank_mapping_saved", actor=actor, object_type="bank_mapping", object_ref=name,
               why="bank statement column mapping " + ("added" if created else "changed"),
               details=values)
    return mapping


# --- Direct Debit: the modulus weight table and mandates ----------------------------------


def load_modulus_table(path: str | Path, actor) -> int:
    """Replace the modulus weight table with the operator's file (valacdos.txt), all or
    nothing; raises ImportFailed listing every bad line. Returns the rows loaded."""
    from openincome.interchange.errors import Error

    from .modulus import parse_table

    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ImportFailed([Error(path.name, 0, "-", "not valid UTF-8 text")]) from None
    rows, problems = parse_table(text)
    if problems or not rows:
        raise ImportFailed([Error(path.name, line, "-", message) for line, message in problems]
                           or [Error(path.name, 0, "-", "the file holds no weight rows")])
    with transaction.atomic(durable=True):
        ModulusWeight.objects.all().delete()  # reference data, replaced whole; audited below
        ModulusWeight.objects.bulk_create([
            ModulusWeight(position=i, start=r.start, end=r.end, method=r.method,
                          weights=" ".join(map(str, r.weights)), exception=r.exception)
            for i, r in enumerate(rows)])
        record("modulus_table_loaded", actor=actor, object_type="modulus_table",
               object_ref=path.name[:100], why="modulus weight table replaced",
               details={"rows": len(rows), "file": path.name, "sha256": file_hash(
                   text.encode())})
    return len(rows)


# --- Direct Debit files: the landlord's Bacs details, collections, AUDDIS ------------------


class DirectDebitError(ValueError):
    """A Direct Debit file or change cannot be made: what is wrong, in words."""


def save_originator(actor, *, service_user_number: str, name: str, sort_code: str,
                    account_number: str) -> DirectDebitOriginator:
    """Save the landlord's Bacs service user number and collection account, audited."""
    from .bacs import bacs_text

    sun, sort_code = service_user_number.strip(), sort_code.replace("-", "").strip()
    account_number = account_number.replace(" ", "")
    if not (sun.isdigit() and len(sun) == 6):
        raise DirectDebitError("the service user number is 6 digits")
    if not (sort_code.isdigit() and len(sort_code) == 6):
        raise DirectDebitError("the sort code is 6 digits")
    if not (account_number.isdigit() and len(account_number) == 8):
        raise DirectDebitError("the account number is 8 digits")
    shown = bacs_text(name, 18).rstrip()
    if not shown:
        raise DirectDebitError("give the name the bank knows the landlord by (up to 18 "
                               "characters)")
    with transaction.atomic(durable=True):
        origin = DirectDebitOriginator.objects.order_by("id").first() or DirectDebitOriginator()
        origin.service_user_number, origin.name = sun, shown
        origin.sort_code, origin.account_number = sort_code, account_number
        origin.save()
        record("dd_originator_saved", actor=actor, object_type="dd_originator", object_ref=sun,
               why="the landlord's Bacs details saved",
               details={"name": shown, "sort_code": sort_code,
                        "account": f"****{account_number[-4:]}"})
    return origin


def _origin() -> bacs.Originator:
    from .queries import originator

    saved = originator()
    if saved is None:
        raise DirectDebitError("the landlord's Bacs details are not saved yet (openincome dd "
                               "originator --sun N --name NAME --sort-code S --account A)")
    return bacs.Originator(saved.service_user_number, saved.name, saved.sort_code,
                           saved.account_number)


def _working_day(day: datetime.date, what: str) -> None:
    if not is_business_day(day):
        raise DirectDebitError(f"{day:%a %d %b %Y} is not a Bacs working day (weekends and "
                               f"bank holidays are not); the next is "
                               f"{business_day_on_or_after(day):%a %d %b %Y}: give that as "
                               f"the {what}")


@dataclass
class CollectionRun:
    """A collection file for a day: the file, whether it was written before (then nothing
    new was posted), and the collections held back, with why."""

    file: DirectDebitFile
    written_before: bool = False
    held: list[tuple[str, datetime.date, str]] = field(default_factory=list)


# What the collection reads of each mandate and of each advance notice.
_COLLECT_FIELDS = ("id", "tenancy_id", "reference", "payer_name", "sort_code", "account_number",
                   "frequency", "day", "start_date", "amount", "status", "lodged_on",
                   "pending_from", "pending_amount", "pending_frequency", "pending_day")
_Notice = namedtuple("_Notice", "amount frequency day first_collection provider_id")


def _notice_covers(notices: list[_Notice], terms, due: datetime.date) -> bool:
    # Only a notice the notifier accepted counts: one that failed to go covers nothing.
    return any(n.amount == terms.amount and n.frequency == terms.frequency
               and n.day == terms.day and n.first_collection <= due and n.provider_id
               for n in notices)


def collect_direct_debits(collect_on: datetime.date, actor) -> CollectionRun:
    """Write the Standard 18 collection file for the working day money is taken: every live,
    lodged mandate falling due since the previous working day, each posted as a Direct Debit
    payment; a collection without its advance notice (or not lodged) is held back with a
    task. Asking again for the same day gives the same file and posts nothing."""
    from .queries import collection_window, next_collection, terms_on

    _working_day(collect_on, "collection date")
    origin = _origin()
    processing = business_days_before(collect_on, 1)
    created = business_days_before(collect_on, 2)
    first, last = collection_window(collect_on)
    name = actor_name(actor)
    with transaction.atomic(durable=True):
        take_bulk_writers_lock()
        made = DirectDebitFile.objects.filter(kind="collection", date=collect_on).first()
        if made is not None:
            return CollectionRun(made, written_before=True)
        # Plain rows, not model instances: 50,000 mandates are read in a fraction of the time.
        # `collected`: whether the mandate was collected before (its first collection is 01).
        live = [SimpleNamespace(pk=row["id"], **row) for row in DirectDebitMandate.objects.filter(
            status="live", start_date__lte=last).annotate(collected=Exists(
                DirectDebitCollection.objects.filter(mandate=OuterRef("pk"))))
            .order_by("reference").values(*_COLLECT_FIELDS, "collected")]
        done = set(DirectDebitCollection.objects.filter(
            due_date__gte=first, due_date__lte=last).values_list("mandate_id", "due_date"))
        due = []
        for m in live:
            day = next_collection(m, first)
            if day is not None and day <= last and (m.pk, day) not in done:
                due.append((m, day))
        notices: dict[int, list[_Notice]] = {}
        for row in AdvanceNotice.objects.filter(first_collection__lte=last).exclude(
                provider_id="").values_list("mandate_id", "amount", "frequency", "day",
                                            "first_collection", "provider_id"):
            notices.setdefault(row[0], []).append(_Notice(*row[1:]))
        items, rows, held = [], [], []
        for m, day in due:
            terms = terms_on(m, day)
            why = ""
            if m.lodged_on is None or m.lodged_on > created:
                why = "its instruction (0N) was not lodged with the bank in time"
            elif not _notice_covers(notices.get(m.pk, []), terms, day):
                why = "the payer was not given advance notice of this amount and date"
            if why:
                held.append((m, day, why))
                continue
            code = bacs.COLLECTION if m.collected else bacs.FIRST_COLLECTION
            items.append(bacs.Item(m.sort_code, m.account_number, m.payer_name, m.reference,
                                   code, terms.amount))
            rows.append((m.pk, m.tenancy_id, day, terms.amount, code,
                         f"DD-{m.reference}-{day:%Y%m%d}", m.reference))
        if not items:
            raise DirectDebitError(
                f"nothing to collect on {collect_on:%d %b %Y}"
                + (f" ({len(held)} held back: {held[0][2]})" if held else ""))
        number = DirectDebitFile.objects.count() + 1
        text = bacs.write_file(origin, items, processing=processing, created=created,
                               file_number=number)
        made = DirectDebitFile.objects.create(
            kind="collection", date=collect_on, processing_date=processing, file_number=number,
            items=len(items), total=sum(i.amount for i in items), content=text,
            actor_name=name)
        frame = pl.DataFrame(rows, orient="row", schema={
            "mandate_id": pl.Int64, "tenancy_id": pl.Int64, "due_date": pl.Date,
            "amount": pl.Int64, "code": pl.String, "transaction_ref": pl.String,
            "reference": pl.String})
        insert_frame(DirectDebitCollection, frame.select(
            "mandate_id", "due_date", "amount", "code", "transaction_ref"),
            fixed={"file_id": made.pk, "collected_on": collect_on, "status": "collected"})
        insert_frame(Transaction, frame.select(
            "transaction_ref", "tenancy_id", (-pl.col("amount")).alias("amount"),
            pl.format("Direct Debit {} (due {})", pl.col("reference"),
                      pl.col("due_date").dt.strftime("%d %b %Y")).alias("description")),
            fixed={"date": collect_on, "type": "payment_dd"})
        _promote_pending(list(DirectDebitMandate.objects.filter(pk__in=[
            m.pk for m, day in due if m.pending_from is not None and day >= m.pending_from])))
        for m, day, why in held:
            DirectDebitTask.objects.create(
                tenancy_id=m.tenancy_id, mandate_id=m.pk, kind="held_back", on=collect_on,
                detail=f"Collection due {day:%d %b %Y} held back: {why}"[:300])
        record("dd_collection_file", actor=actor, object_type="dd_file",
               object_ref=str(made.pk), why=f"Direct Debit collection for {collect_on:%d %b %Y}",
               details={"date": collect_on.isoformat(), "items": made.items,
                        "total_pence": made.total, "held": len(held)})
        touched(frame["tenancy_id"].unique().to_list())
    return CollectionRun(made, held=[(m.reference, day, why) for m, day, why in held])


def _promote_pending(mandates: list[DirectDebitMandate]) -> None:
    """A pending change whose date has come becomes the mandate's terms."""
    for m in mandates:
        m.amount, m.frequency, m.day = m.pending_amount, m.pending_frequency, m.pending_day
        m.start_date = m.pending_from
        m.pending_from, m.pending_amount, m.pending_frequency, m.pending_day = (
            None, None, "", None)
        m.save(update_fields=["amount", "frequency", "day", "start_date", "pending_from",
                              "pending_amount", "pending_frequency", "pending_day"])


def lodge_instructions(processing: datetime.date, actor) -> DirectDebitFile:
    """Write the AUDDIS lodgement for a processing day: a new instruction (0N) for each live
    mandate not lodged yet, a cancellation (0C) for each lodged mandate that has ended.
    Asking again for the same day gives the same file."""
    _working_day(processing, "lodgement date")
    origin = _origin()
    with transaction.atomic(durable=True):
        take_bulk_writers_lock()
        made = DirectDebitFile.objects.filter(kind="lodgement", date=processing).first()
        if made is not None:
            return made
        fields = ("id", "sort_code", "account_number", "payer_name", "reference")
        new = list(DirectDebitMandate.objects.filter(status="live", lodged_on__isnull=True)
                   .order_by("reference").values_list(*fields))
        ended = list(DirectDebitMandate.objects.filter(
            status="cancelled", lodged_on__isnull=False, cancel_lodged_on__isnull=True)
            .order_by("reference").values_list(*fields))
        items = [bacs.Item(*m[1:], bacs.NEW_INSTRUCTION) for m in new]
        items += [bacs.Item(*m[1:], bacs.CANCEL_INSTRUCTION) for m in ended]
        if not items:
            raise DirectDebitError("there are no new or cancelled mandates to lodge")
        number = DirectDebitFile.objects.count() + 1
        text = bacs.write_file(origin, items, processing=processing,
                               created=business_days_before(processing, 1), file_number=number)
        made = DirectDebitFile.objects.create(
            kind="lodgement", date=processing, processing_date=processing, file_number=number,
            items=len(items), total=0, content=text, actor_name=actor_name(actor))
        for rows, column in ((new, "lodged_on"), (ended, "cancel_lodged_on")):
            for part in range(0, len(rows), 900):
                DirectDebitMandate.objects.filter(
                    pk__in=[m[0] for m in rows[part:part + 900]]).update(**{column: processing})
        record("dd_lodgement_file", actor=actor, object_type="dd_file", object_ref=str(made.pk),
               why=f"AUDDIS lodgement for {processing:%d %b %Y}",
               details={"new": len(new), "cancelled": len(ended),
                        "references": [m[4] for m in new + ended][:1000]})
    return made


def cancel_mandate(mandate: DirectDebitMandate, actor, *, on: datetime.date, why: str,
                   by_payer: bool = False) -> DirectDebitMandate:
    """End a mandate from a day: nothing more is collected and, when it was lodged, the next
    AUDDIS lodgement cancels it (0C). When the payer's bank ended it (ADDACS), the officer
    gets a task."""
    if not why.strip():
        raise DirectDebitError("say why the mandate is cancelled")
    with transaction.atomic(durable=True):
        lock_tenancy(mandate.tenancy_id)
        mandate = DirectDebitMandate.objects.select_for_update().get(pk=mandate.pk)
        if mandate.status != "live":
            raise DirectDebitError(f"mandate {mandate.reference} has already ended")
        mandate.status, mandate.ended_on, mandate.end_reason = "cancelled", on, why[:200]
        if by_payer:
            # The payer's bank has already ended it: no 0C is lodged for it.
            mandate.cancel_lodged_on = on
        mandate.save(update_fields=["status", "ended_on", "end_reason", "cancel_lodged_on"])
        if by_payer:
            DirectDebitTask.objects.create(
                tenancy_id=mandate.tenancy_id, mandate=mandate, kind="cancelled_by_payer",
                on=on, detail=f"Mandate {mandate.reference} cancelled by the payer's bank: "
                f"{why}"[:300])
        record("mandate_cancelled", actor=actor, object_type="dd_mandate",
               object_ref=mandate.reference, why=why,
               details={"on": on.isoformat(), "by_payer": by_payer,
                        "tenancy_ref": mandate.tenancy.tenancy_ref})
        touched([mandate.tenancy_id])
    return mandate


# --- Advance notice, changes of terms and mandates that follow the account -----------------


def notice_days(on: datetime.date) -> int:
    """The working days' advance notice the policy in force gives a payer."""
    from openincome.policy.store import params_in_force

    return params_in_force(on).dd_advance_notice_working_days


def earliest_change(on: datetime.date) -> datetime.date:
    """The first day a collection may be on new terms when notice goes out on `on`."""
    return business_days_after(on, notice_days(on))


def _notice_text(mandate: DirectDebitMandate, notice: AdvanceNotice, parts) -> str:
    from openincome.letters.context import landlord_context

    landlord = landlord_context()
    when = mandate.when if notice.frequency == mandate.frequency and notice.day == mandate.day \
        else _when(notice.frequency, notice.day)
    lines = ["# Your Direct Debit", "",
             f"This is your advance notice for the Direct Debit with reference "
             f"{mandate.reference}. {notice.why}.", "",
             f"From {notice.first_collection.day} {notice.first_collection:%B %Y} we will "
             f"collect {pounds(notice.amount)} {when} from your account ending "
             f"{mandate.account_number[-4:]}. The amount is made up of:", ""]
    lines += [f"- {name}: {pounds(amount)}" for name, amount in parts if amount]
    lines += ["", "If a collection day is not a bank working day, we collect on the next "
              "working day. Your payments are protected by the Direct Debit Guarantee.", "",
              f"If you have any questions, please contact {landlord['name']}"
              + (f" on {landlord['phone']}" if landlord["phone"] else "")
              + (f" or at {landlord['email']}" if landlord["email"] else "") + "."]
    return "\n".join(lines)


def _when(frequency: str, day: int) -> str:
    probe = DirectDebitMandate(frequency=frequency, day=day)
    return probe.when


def _give_notice(mandate: DirectDebitMandate, *, sent_on: datetime.date,
                 first: datetime.date, amount: int, frequency: str, day: int, why: str,
                 parts) -> AdvanceNotice:
    """Keep the notice (inside the caller's transaction); `_send_notices` posts it."""
    notice = AdvanceNotice.objects.create(
        mandate=mandate, sent_on=sent_on, first_collection=first, amount=amount,
        frequency=frequency, day=day, why=why[:200])
    notice.reference = f"DDN{notice.pk}-{mandate.reference}"[:40]
    notice.save(update_fields=["reference"])
    notice.parts = list(parts)
    return notice


def _send_notices(notices: list[AdvanceNotice], notifier=None) -> None:
    """Post each notice as a letter through the letters app's notifier (after the change has
    committed); a refusal opens a task, and a notice not sent covers no collection."""
    from django.template.loader import render_to_string

    from openincome.letters.context import address_lines, landlord_context
    from openincome.letters.notifiers import get_notifier
    from openincome.letters.pdf import render_pdf
    from openincome.letters.render import blocks_html

    notifier = notifier or get_notifier()
    landlord = landlord_context()
    for notice in notices:
        mandate = notice.mandate
        tenancy = mandate.tenancy
        text = _notice_text(mandate, notice, getattr(notice, "parts", []))
        context = {"landlord": landlord, "date": f"{notice.sent_on.day} "
                   f"{notice.sent_on:%B %Y}", "tenancy_ref": tenancy.tenancy_ref,
                   "payment_reference": tenancy.payment_reference or tenancy.tenancy_ref,
                   "statement": None,
                   "tenant": {"salutation": mandate.payer_name.title(),
                              "address_lines": [mandate.payer_name.title(),
                                                *address_lines(tenancy, None)]}}
        page = render_to_string("letters/letter.html", {
            "c": context, "subject": "Your Direct Debit", "body": blocks_html(text)})
        try:
            provider_id = notifier.send_letter(render_pdf(page), notice.reference)
        except Exception as exc:  # noqa: BLE001 - any provider error becomes the officer's task
            with transaction.atomic(durable=True):
                DirectDebitTask.objects.create(
                    tenancy=tenancy, mandate=mandate, kind="notice_failed", on=notice.sent_on,
                    detail=f"Advance notice not sent: {type(exc).__name__}: {exc}"[:300])
            continue
        with transaction.atomic(durable=True):
            AdvanceNotice.objects.filter(pk=notice.pk).update(provider_id=provider_id)
        notice.provider_id = provider_id


def set_up_mandate(tenancy: Tenancy, actor, *, payer_name: str, sort_code: str,
                   account_number: str, frequency: str, day: int, start_date: datetime.date,
                   amount: int | None = None, as_of: datetime.date | None = None,
                   notifier=None) -> DirectDebitMandate:
    """A new Direct Debit mandate, its account passing the modulus check of the loaded weight
    table; with no amount it follows the account (charge + agreement instalment). The payer
    is sent advance notice on `as_of`, and the first collection is the first due date at
    least the policy's notice period later. Raises ValueError saying what is wrong (nothing
    saved)."""
    from openincome.ledger.vocab import FREQUENCIES

    from .queries import account_amount, account_fingerprints, modulus_check, next_on

    as_of = as_of or timezone.localdate()
    sort_code = sort_code.replace("-", "").replace(" ", "")
    account_number = account_number.replace(" ", "").rjust(8, "0")
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    if not (1 <= day <= 28 if frequency == "monthly" else 0 <= day <= 6):
        raise ValueError("a monthly collection day is 1 to 28; otherwise a weekday, 0 "
                         "(Monday) to 6 (Sunday)")
    if amount is not None and amount <= 0:
        raise ValueError("the amount must be more than zero")
    payer = " ".join(payer_name.upper().split())
    if not payer or len(payer) > 18:
        raise ValueError("the payer's name is 1 to 18 characters (as the bank holds it)")
    result = modulus_check(sort_code, account_number)
    if result.valid is not True:
        raise ValueError(f"the sort code and account number cannot be used: {result.reason}")
    first = next_on(frequency, day, start_date, max(start_date, earliest_change(as_of)))
    follows = amount is None
    parts = [("Direct Debit", amount)] if not follows else None
    if follows:
        found = account_amount(tenancy, frequency, first)
        if found.total <= 0:
            raise ValueError("the account has no charge or agreement to collect: give the "
                             "amount")
        amount = found.total
        parts = [("Rent and charges", found.charge), ("Repayment agreement", found.instalment)]
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        count = DirectDebitMandate.objects.filter(tenancy=tenancy).count()
        reference = f"{tenancy.tenancy_ref}-{count + 1}"[:18].upper()
        mandate = DirectDebitMandate.objects.create(
            tenancy=tenancy, reference=reference, payer_name=payer, sort_code=sort_code,
            account_number=account_number, frequency=frequency, day=day,
            start_date=first, amount=amount, actor_name=actor_name(actor),
            follows_account=follows,
            account_basis=account_fingerprints([tenancy.pk])[tenancy.pk] if follows else "")
        notice = _give_notice(mandate, sent_on=as_of, first=first, amount=amount,
                              frequency=frequency, day=day, why="You have set up a new "
                              "Direct Debit to pay your rent", parts=parts)
        record("mandate_set_up", actor=actor, object_type="dd_mandate", object_ref=reference,
               why="Direct Debit mandate set up",
               details={"tenancy_ref": tenancy.tenancy_ref, "frequency": frequency,
                        "day": day, "start_date": first.isoformat(),
                        "amount_pence": amount, "follows_account": follows,
                        "account": mandate.masked_account, "notice": notice.reference})
        touched([tenancy.pk])
    _send_notices([notice], notifier)
    return mandate


def change_mandate(mandate: DirectDebitMandate, actor, *, as_of: datetime.date, why: str,
                   amount: int | None = None, frequency: str | None = None,
                   day: int | None = None, effective_from: datetime.date | None = None,
                   notifier=None, parts=None, recalculated: bool = False) -> DirectDebitMandate:
    """Change a mandate's amount, frequency or day from a due date at least the notice period
    after `as_of` (the earliest such when none is given), sending the payer advance notice;
    collections before then stay on the old terms. An amount a person sets is fixed: the
    mandate stops following the account (a recalculation keeps it following)."""
    from .queries import next_on, terms_on

    if not why.strip():
        raise DirectDebitError("say why the Direct Debit changes")
    current = terms_on(mandate, datetime.date.max)
    amount = current.amount if amount is None else amount
    frequency = frequency or current.frequency
    day = current.day if day is None else day
    if amount <= 0:
        raise DirectDebitError("the amount must be more than zero")
    if not (1 <= day <= 28 if frequency == "monthly" else 0 <= day <= 6):
        raise DirectDebitError("a monthly collection day is 1 to 28; otherwise a weekday, 0 "
                               "(Monday) to 6 (Sunday)")
    if (amount, frequency, day) == (current.amount, current.frequency, current.day):
        raise DirectDebitError("nothing changes")
    earliest = earliest_change(as_of)
    if effective_from is not None and effective_from < earliest:
        raise DirectDebitError(f"the payer needs {notice_days(as_of)} working days' notice: "
                               f"the change can start on {earliest:%d %b %Y} at the earliest")
    start = max(effective_from or earliest, earliest, mandate.start_date)
    first = next_on(frequency, day, start, start)
    with transaction.atomic(durable=True):
        lock_tenancy(mandate.tenancy_id)
        mandate = DirectDebitMandate.objects.select_for_update().select_related(
            "tenancy").get(pk=mandate.pk)
        if mandate.status != "live":
            raise DirectDebitError(f"mandate {mandate.reference} has ended")
        mandate.pending_from, mandate.pending_amount = first, amount
        mandate.pending_frequency, mandate.pending_day = frequency, day
        if amount != current.amount and not recalculated:
            mandate.follows_account = False
        mandate.save(update_fields=["pending_from", "pending_amount", "pending_frequency",
                                    "pending_day", "follows_account"])
        notice = _give_notice(mandate, sent_on=as_of, first=first, amount=amount,
                              frequency=frequency, day=day, why=why,
                              parts=parts or [("Direct Debit", amount)])
        record("mandate_changed", actor=actor, object_type="dd_mandate",
               object_ref=mandate.reference, why=why,
               details={"from": first.isoformat(), "amount_pence": amount,
                        "frequency": frequency, "day": day,
                        "was": [current.amount, current.frequency, current.day],
                        "notice": notice.reference})
        touched([mandate.tenancy_id])
    _send_notices([notice], notifier)
    return mandate


def recalculate_mandates(as_of: datetime.date, actor, *, tenancy_ids: list[int] | None = None,
                         notifier=None) -> list[DirectDebitMandate]:
    """Bring every live mandate that follows the account (or those of some tenancies) into
    line with the charge plus agreement instalment, from the first due date the notice period
    allows, and send each changed one its notice: the April rent change in one run."""
    from .queries import account_amount, account_changes, next_collection, terms_on

    rows = DirectDebitMandate.objects.filter(status="live", follows_account=True)
    if tenancy_ids is not None:
        rows = rows.filter(tenancy_id__in=tenancy_ids)
    from .queries import account_fingerprints

    earliest = earliest_change(as_of)
    changed = []
    rows = list(rows.select_related("tenancy").order_by("reference"))
    basis = account_fingerprints(sorted({m.tenancy_id for m in rows}))
    for mandate in rows:
        DirectDebitMandate.objects.filter(pk=mandate.pk).update(
            account_basis=basis[mandate.tenancy_id])
        days = [earliest, *account_changes(mandate.tenancy, earliest)]
        for on in days:
            due = next_collection(mandate, on)
            if due is None:
                break
            found = account_amount(mandate.tenancy, terms_on(mandate, due).frequency, due)
            if found.total > 0 and found.total != terms_on(mandate, due).amount:
                changed.append(change_mandate(
                    mandate, actor, as_of=as_of, amount=found.total, effective_from=due,
                    why="Your rent or repayment agreement has changed", notifier=notifier,
                    recalculated=True,
                    parts=[("Rent and charges", found.charge),
                           ("Repayment agreement", found.instalment)]))
                break
    return changed


# --- ARUDD and ADDACS: what the payers' banks sent back ------------------------------------


def import_bacs_report(path: str | Path, kind: str, actor) -> list[str]:
    """Apply an ARUDD or ADDACS report, read and matched whole first (any problem raises
    ImportFailed and nothing changes). ARUDD: each unpaid collection is reversed (a
    `payment_reversal` linked to it) and a "Direct Debit failed" task opened. ADDACS: a
    cancelled mandate ends (with a task for the officer); an amended one takes the new
    account. An item applied before is skipped, so a report imported twice changes nothing."""
    from openincome.interchange.errors import Error

    from .bacs_reports import read_report

    path = Path(path)
    processed, items, errors = read_report(path, kind)
    name = path.name
    mandates = {m.reference: m for m in DirectDebitMandate.objects.filter(
        reference__in=[i.reference for i in items]).select_related("tenancy")}
    for item in items:
        if item.reference not in mandates:
            errors.append(Error(name, item.line, "reference", "no mandate has this reference",
                                item.reference))
    matched: list[tuple] = []
    if kind == "arudd" and not errors:
        for item in items:
            rows = DirectDebitCollection.objects.filter(
                mandate=mandates[item.reference], amount=item.amount)
            if item.original_processing is not None:
                rows = rows.filter(file__processing_date=item.original_processing)
            found = rows.order_by("-collected_on", "-id").first()
            if found is None:
                errors.append(Error(name, item.line, "ref", "no collection of this amount on "
                                    "this mandate matches", item.reference))
            matched.append((item, found))
    if errors:
        raise ImportFailed(sorted(errors))
    on = processed or timezone.localdate()
    done, again = 0, 0
    with transaction.atomic(durable=True):
        tenancies = sorted({m.tenancy_id for m in mandates.values()})
        lock_tenancies(tenancies)
        if kind == "arudd":
            for item, collection in matched:
                collection = DirectDebitCollection.objects.select_for_update().get(
                    pk=collection.pk)
                if collection.status == "returned":
                    again += 1
                    continue
                mandate = mandates[item.reference]
                ref = f"{collection.transaction_ref}-R"
                Transaction.objects.create(
                    transaction_ref=ref, tenancy_id=mandate.tenancy_id, date=on,
                    type="payment_reversal", amount=collection.amount,
                    description=f"Direct Debit {collection.transaction_ref} returned unpaid: "
                    f"{item.reason}"[:300])
                collection.status, collection.reversal_ref = "returned", ref
                collection.return_reason = item.reason[:200]
                collection.save(update_fields=["status", "reversal_ref", "return_reason"])
                DirectDebitTask.objects.create(
                    tenancy_id=mandate.tenancy_id, mandate=mandate, kind="failed_collection",
                    on=on, detail=f"{pounds(collection.amount)} due "
                    f"{collection.due_date:%d %b %Y} was not paid ({item.reason})"[:300])
                done += 1
        else:
            for item in items:
                mandate = DirectDebitMandate.objects.select_for_update().get(
                    reference=item.reference)
                if item.amended:
                    if (mandate.sort_code, mandate.account_number) == (
                            item.new_sort_code, item.new_account_number):
                        again += 1
                        continue
                    mandate.sort_code, mandate.account_number = (item.new_sort_code,
                                                                 item.new_account_number)
                    mandate.save(update_fields=["sort_code", "account_number"])
                    DirectDebitTask.objects.create(
                        tenancy_id=mandate.tenancy_id, mandate=mandate,
                        kind="amended_by_payer", on=item.effective,
                        detail=f"The payer's bank changed mandate {mandate.reference} to "
                        f"account {mandate.masked_account} ({item.reason})"[:300])
                elif mandate.status != "live":
                    again += 1
                    continue
                else:
                    mandate.status, mandate.ended_on = "cancelled", item.effective
                    mandate.end_reason = f"ADDACS {item.code}: {item.reason}"[:200]
                    mandate.cancel_lodged_on = item.effective  # the bank ended it: no 0C
                    mandate.save(update_fields=["status", "ended_on", "end_reason",
                                                "cancel_lodged_on"])
                    DirectDebitTask.objects.create(
                        tenancy_id=mandate.tenancy_id, mandate=mandate,
                        kind="cancelled_by_payer", on=item.effective,
                        detail=f"Mandate {mandate.reference} ended by the payer's bank: "
                        f"{item.reason}. Talk to the tenant about how they will pay."[:300])
                done += 1
        record(f"{kind}_imported", actor=actor, object_type="bacs_report",
               object_ref=name[:100], why=f"{kind.upper()} report imported",
               details={"items": len(items), "applied": done, "already": again})
        touched(tenancies)
    what = {"arudd": "collections returned unpaid", "addacs": "mandates changed"}[kind]
    return [f"{name}: {len(items):,} item{'s' if len(items) != 1 else ''}",
            f"  {what}: {done:,}", f"  applied before (nothing done): {again:,}"]


def follow_account_changes(tenancy_ids: list[int], as_of: datetime.date | None = None) -> None:
    """The freshness hook's payments part: after a change to these tenancies commits (a new
    charge, an agreement made, changed or ended), each live mandate that follows the account
    is brought into line, with notice sent today. Only mandates whose account's charges or
    agreement changed are looked at, so a payment file or a collection costs two reads."""
    from .queries import account_fingerprints

    wanted = set(tenancy_ids)
    following = [(t, basis) for t, basis in DirectDebitMandate.objects.filter(
        status="live", follows_account=True).values_list("tenancy_id", "account_basis")
        if t in wanted]
    if not following:
        return
    now = account_fingerprints(sorted({t for t, _ in following}))
    changed = sorted({t for t, basis in following if now[t] != basis})
    if changed:
        recalculate_mandates(timezone.localdate(), "system", tenancy_ids=changed)


# --- Card payments -------------------------------------------------------------------------

# A payment taken by phone above this is a mistake more often than not (£10,000).
CARD_LIMIT = 1_000_000


class CardDeclined(Exception):
    """The provider declined the card: nothing was posted (the attempt is kept)."""


def take_card_payment(tenancy: Tenancy, amount: int, actor, *, on: datetime.date,
                      provider=None) -> CardPayment:
    """Take a card payment through the provider and, when approved, post it to the account as
    a card payment; a decline is kept and audited and raises CardDeclined."""
    from .cards import get_provider

    if not 0 < amount <= CARD_LIMIT:
        raise ValueError(f"the amount must be more than £0.00 and at most {pounds(CARD_LIMIT)}")
    provider = provider or get_provider()
    reference = tenancy.payment_reference or tenancy.tenancy_ref
    # The provider is asked first, outside the transaction: a slow provider holds no lock.
    result = provider.take(amount=amount, reference=reference,
                           description=f"Rent payment {reference}")
    status = "approved" if result.approved else "declined"
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        card = CardPayment.objects.create(
            tenancy=tenancy, amount=amount, date=on, provider=provider.name,
            provider_ref=result.provider_ref, status=status, message=result.message[:200],
            actor_name=actor_name(actor))
        if result.approved:
            card.transaction_ref = f"CARD-{result.provider_ref}"[:64]
            card.save(update_fields=["transaction_ref"])
            Transaction.objects.create(
                transaction_ref=card.transaction_ref, tenancy=tenancy, date=on,
                type="payment_card", amount=-amount,
                description=f"Card payment by phone, {provider.name} ref "
                f"{result.provider_ref}"[:300])
            touched([tenancy.pk])
        record(f"card_payment_{status}", actor=actor, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=f"card payment {status}",
               details={"amount_pence": amount, "provider": provider.name,
                        "provider_ref": result.provider_ref,
                        "transaction_ref": card.transaction_ref})
    if not result.approved:
        raise CardDeclined(result.message or "The card was declined")
    return card


def close_dd_task(task_id: int, actor, *, note: str) -> DirectDebitTask:
    """Mark a Direct Debit task dealt with, saying how, audited."""
    if not note.strip():
        raise DirectDebitError("say what was done")
    with transaction.atomic(durable=True):
        task = DirectDebitTask.objects.select_for_update().get(pk=task_id)
        if task.closed_at is not None:
            raise DirectDebitError("this task was closed already")
        task.closed_at, task.closed_by = timezone.now(), actor_name(actor)
        task.note = note.strip()[:300]
        task.save(update_fields=["closed_at", "closed_by", "note"])
        record("dd_task_closed", actor=actor, object_type="dd_task", object_ref=str(task.pk),
               why=task.note, details={"kind": task.kind, "tenancy_id": task.tenancy_id})
    return task
