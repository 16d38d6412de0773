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
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db import transaction
from django.utils import timezone

from openincome.audit.log import record
from openincome.interchange.bulk import insert_frame
from openincome.interchange.errors import ImportFailed, Problems
from openincome.ledger.freshness import touched
from openincome.ledger.locks import bulk_writer, lock_tenancies, lock_tenancy
from openincome.ledger.models import Tenancy, Transaction
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import label

from .models import (
    BankCsvMapping,
    DirectDebitMandate,
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


def set_up_mandate(tenancy: Tenancy, actor, *, payer_name: str, sort_code: str,
                   account_number: str, frequency: str, day: int, start_date: datetime.date,
                   amount: int) -> DirectDebitMandate:
    """A new Direct Debit mandate, its account passing the modulus check of the loaded weight
    table; raises ValueError saying what is wrong (nothing saved)."""
    from openincome.ledger.vocab import FREQUENCIES

    from .queries import modulus_check

    sort_code = sort_code.replace("-", "").replace(" ", "")
    account_number = account_number.replace(" ", "").rjust(8, "0")
    if frequency not in FREQUENCIES:
        raise ValueError(f"frequency must be one of {', '.join(FREQUENCIES)}")
    if not (1 <= day <= 28 if frequency == "monthly" else 0 <= day <= 6):
        raise ValueError("a monthly collection day is 1 to 28; otherwise a weekday, 0 "
                         "(Monday) to 6 (Sunday)")
    if amount <= 0:
        raise ValueError("the amount must be more than zero")
    payer = " ".join(payer_name.upper().split())
    if not payer or len(payer) > 18:
        raise ValueError("the payer's name is 1 to 18 characters (as the bank holds it)")
    result = modulus_check(sort_code, account_number)
    if result.valid is not True:
        raise ValueError(f"the sort code and account number cannot be used: {result.reason}")
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        count = DirectDebitMandate.objects.filter(tenancy=tenancy).count()
        reference = f"{tenancy.tenancy_ref}-{count + 1}"[:18].upper()
        mandate = DirectDebitMandate.objects.create(
            tenancy=tenancy, reference=reference, payer_name=payer, sort_code=sort_code,
            account_number=account_number, frequency=frequency, day=day,
            start_date=start_date, amount=amount, actor_name=actor_name(actor))
        record("mandate_set_up", actor=actor, object_type="dd_mandate", object_ref=reference,
               why="Direct Debit mandate set up",
               details={"tenancy_ref": tenancy.tenancy_ref, "frequency": frequency,
                        "day": day, "start_date": start_date.isoformat(),
                        "amount_pence": amount, "account": mandate.masked_account})
        touched([tenancy.pk])
    return mandate
