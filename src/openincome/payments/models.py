"""Money in from payment files: the imports, each payment row, suspense movements, transfers
and the bank statement column mappings a landlord saves once.

A payment row is the record of money received; posting it makes a ledger Transaction (which is
never changed). A row's `status` moves on (suspense -> allocated, held -> confirmed or
rejected) and every move is audited; movements in and out of suspense are rows of their own.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.common.appendonly import AppendOnlyModel
from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import FREQUENCIES, choices

SOURCES = ("allpay", "bank-csv", "camt053", "hb", "uc")
STATUSES = ("posted", "suspense", "allocated", "held", "confirmed", "rejected")
# Why a row went to suspense or was held for finance.
REASONS = ("no_match", "ambiguous_reference", "same_source_ref", "same_day_other_channel")
MOVEMENTS = ("in", "out")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d %b %Y", "%d.%m.%Y")


# How pages name each code (never the code itself).
LABELS = {
    "allpay": "allpay", "bank-csv": "Bank statement (CSV)",
    "camt053": "Bank statement (camt.053)", "hb": "Housing Benefit schedule",
    "uc": "Universal Credit schedule",
    "posted": "Posted", "suspense": "In suspense", "allocated": "Allocated from suspense",
    "held": "Held for finance", "confirmed": "Confirmed and posted", "rejected": "Not posted",
    "no_match": "No matching tenancy", "ambiguous_reference": "Reference shared by tenancies",
    "same_source_ref": "Same source reference", "same_day_other_channel":
    "Same payment by another channel", "in": "Into suspense", "out": "Out of suspense",
    "live": "Live", "cancelled": "Cancelled",
    "collection": "Collection file", "lodgement": "AUDDIS lodgement",
    "collected": "Collected", "returned": "Returned unpaid",
    "failed_collection": "Direct Debit failed", "held_back": "Collection held back",
    "cancelled_by_payer": "Mandate cancelled by the payer's bank",
    "amended_by_payer": "Mandate details changed by the payer's bank",
    "notice_failed": "Advance notice not sent",
    "approved": "Approved", "declined": "Declined",
}


def _choices(values) -> list[tuple[str, str]]:
    return [(v, LABELS.get(v, v.replace("_", " ").capitalize())) for v in values]


class PaymentImport(models.Model):
    """One payment file imported: which source, its content hash (a file is imported once) and
    the reconciled totals (pence) of what happened to its rows."""

    source = models.CharField(max_length=20, choices=_choices(SOURCES))
    filename = models.CharField(max_length=255)
    content_hash = models.CharField(max_length=64, unique=True)
    imported_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_name = models.CharField(max_length=150)
    rows = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)
    posted_count = models.IntegerField(default=0)
    posted_total = models.BigIntegerField(default=0)
    suspense_count = models.IntegerField(default=0)
    suspense_total = models.BigIntegerField(default=0)
    held_count = models.IntegerField(default=0)
    held_total = models.BigIntegerField(default=0)
    already_count = models.IntegerField(default=0)
    already_total = models.BigIntegerField(default=0)
    # Rows that are not money in (bank debits), counted but not payments.
    ignored_count = models.IntegerField(default=0)

    class Meta:
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} {self.filename}"


class Payment(models.Model):
    """One payment received in a file (amount in pence, > 0), and what became of it."""

    import_run = models.ForeignKey(PaymentImport, on_delete=models.PROTECT,
                                   related_name="payments")
    line = models.IntegerField(help_text="the row's line in its file (header = 1)")
    source = models.CharField(max_length=20, choices=_choices(SOURCES))
    source_ref = models.CharField(max_length=100)
    date = models.DateField()
    amount = models.BigIntegerField(help_text="pence received, > 0")
    tx_type = models.CharField(max_length=20, help_text="the ledger credit type it posts as")
    reference = models.CharField(max_length=100, blank=True)
    claim_ref = models.CharField(max_length=50, blank=True)
    description = models.CharField(max_length=200, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    tenancy = models.ForeignKey(Tenancy, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="received_payments")
    status = models.CharField(max_length=20, choices=_choices(STATUSES), db_index=True)
    reason = models.CharField(max_length=30, choices=_choices(REASONS), blank=True)
    reason_detail = models.CharField(max_length=300, blank=True)
    transaction_ref = models.CharField(max_length=64, blank=True, db_index=True)
    resolved_by = models.CharField(max_length=150, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["source", "source_ref"], name="payment_source_ref")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.source_ref}"


class SuspenseMovement(AppendOnlyModel):
    """Money into suspense (an unmatched payment) or out of it (allocated to a tenancy)."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(max_length=3, choices=_choices(MOVEMENTS))
    amount = models.BigIntegerField(help_text="pence, > 0")
    tenancy = models.ForeignKey(Tenancy, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")
    transaction_ref = models.CharField(max_length=64, blank=True)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


class Transfer(models.Model):
    """A misposted payment moved: a reversal on the first account and a new payment on the
    second, both referring to the original (which stays as it was)."""

    original_ref = models.CharField(max_length=64, unique=True)
    from_tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    to_tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField(help_text="pence moved, > 0")
    why = models.CharField(max_length=300)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.original_ref} moved"

    @property
    def reversal_ref(self) -> str:
        """The ledger ref of the reversal on the first account."""
        return f"TRF{self.pk}-R"

    @property
    def new_ref(self) -> str:
        """The ledger ref of the payment on the second account."""
        return f"TRF{self.pk}-N"


class BankCsvMapping(models.Model):
    """Which columns of the landlord's bank statement CSV hold what (saved once, by name)."""

    name = models.CharField(max_length=50, unique=True)
    date_column = models.CharField(max_length=100)
    date_format = models.CharField(max_length=20, choices=[(f, f) for f in DATE_FORMATS])
    # Either one signed amount column (money in > 0) or a credit column (money in only).
    amount_column = models.CharField(max_length=100, blank=True)
    credit_column = models.CharField(max_length=100, blank=True)
    reference_column = models.CharField(max_length=100)
    id_column = models.CharField(max_length=100, blank=True,
                                 help_text="the bank's transaction id, if the CSV has one")
    description_column = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name


class ModulusWeight(models.Model):
    """One row of the VocaLink modulus weight table the operator loaded (valacdos.txt)."""

    position = models.IntegerField(help_text="the row's order in the table")
    start = models.CharField(max_length=6)
    end = models.CharField(max_length=6)
    method = models.CharField(max_length=5)
    weights = models.CharField(max_length=80, help_text="14 weights, space-separated")
    exception = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.start}-{self.end} {self.method}"


MANDATE_STATUSES = ("live", "cancelled")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class DirectDebitMandate(models.Model):
    """A tenant's Direct Debit instruction: the payer's account (modulus checked), when and how
    much is collected. The account number is shown masked everywhere."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="dd_mandates")
    reference = models.CharField(max_length=18, unique=True)
    payer_name = models.CharField(max_length=18)
    sort_code = models.CharField(max_length=6)
    account_number = models.CharField(max_length=8)
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES))
    # Weekly, fortnightly and four-weekly: 0 (Monday) to 6 (Sunday); monthly: 1 to 28.
    day = models.IntegerField()
    start_date = models.DateField()
    amount = models.BigIntegerField(help_text="pence per collection, > 0")
    status = models.CharField(max_length=20, choices=_choices(MANDATE_STATUSES), default="live")
    created_at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150)
    # AUDDIS: the day the new instruction (0N) went to the bank in a lodgement file, and for
    # an ended mandate the day it ended and the day its cancellation (0C) was lodged.
    lodged_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=200, blank=True)
    cancel_lodged_on = models.DateField(null=True, blank=True)
    # Set when the mandate's amount follows the account (charge + agreement instalment).
    follows_account = models.BooleanField(default=False)
    # What the account's charges and live agreement were when the amount was last worked out
    # (a hash): the freshness hook recalculates only mandates whose account has changed.
    account_basis = models.CharField(max_length=64, blank=True)
    # A change of terms waiting for its advance notice to run: from `pending_from` (a due
    # date) the pending amount, frequency and day apply.
    pending_from = models.DateField(null=True, blank=True)
    pending_amount = models.BigIntegerField(null=True, blank=True)
    pending_frequency = models.CharField(max_length=20, blank=True)
    pending_day = models.IntegerField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tenancy", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="mandate_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def masked_account(self) -> str:
        """The account as shown: only its last four digits."""
        return f"****{self.account_number[-4:]}"

    @property
    def shown_sort_code(self) -> str:
        """The sort code as people write it (12-34-56)."""
        return f"{self.sort_code[:2]}-{self.sort_code[2:4]}-{self.sort_code[4:]}"

    @property
    def when(self) -> str:
        """When it is collected, in words."""
        if self.frequency == "monthly":
            return f"monthly on day {self.day}"
        every = {"weekly": "every", "fortnightly": "every other",
                 "four_weekly": "every fourth"}[self.frequency]
        return f"{every} {WEEKDAYS[self.day]}"


class DirectDebitOriginator(models.Model):
    """The landlord as a Bacs service user (one row): its service user number and the
    account collections are paid into."""

    service_user_number = models.CharField(max_length=6)
    name = models.CharField(max_length=18)
    sort_code = models.CharField(max_length=6)
    account_number = models.CharField(max_length=8)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.name} ({self.service_user_number})"


FILE_KINDS = ("collection", "lodgement")


class DirectDebitFile(models.Model):
    """One Bacs file written: a collection file for a day, or an AUDDIS lodgement. Its text is
    kept, so asking again for the same day gives the same file and posts nothing twice."""

    kind = models.CharField(max_length=20, choices=_choices(FILE_KINDS))
    # Collection: the day money leaves the payers' accounts; lodgement: the processing day.
    date = models.DateField()
    processing_date = models.DateField()
    file_number = models.IntegerField()
    items = models.IntegerField(default=0)
    total = models.BigIntegerField(default=0)
    content = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    actor_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [models.UniqueConstraint(fields=["kind", "date"],
                                               name="dd_file_one_per_kind_and_day")]

    def __str__(self) -> str:
        return f"{self.kind} {self.date}"


COLLECTION_STATUSES = ("collected", "returned")


class DirectDebitCollection(models.Model):
    """One collection in a file: the mandate, the day it fell due, the (working) day it is
    taken, and the payment it posted; an ARUDD return reverses it."""

    file = models.ForeignKey(DirectDebitFile, on_delete=models.PROTECT,
                             related_name="collections")
    mandate = models.ForeignKey(DirectDebitMandate, on_delete=models.PROTECT,
                                related_name="collections")
    due_date = models.DateField()
    collected_on = models.DateField()
    amount = models.BigIntegerField()
    code = models.CharField(max_length=2)
    transaction_ref = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=20, choices=_choices(COLLECTION_STATUSES),
                              default="collected")
    return_reason = models.CharField(max_length=200, blank=True)
    reversal_ref = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["collected_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "due_date"], name="dd_collect_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="dd_collection_gt_0"),
        ]

    def __str__(self) -> str:
        return self.transaction_ref


TASK_KINDS = ("failed_collection", "held_back", "cancelled_by_payer", "amended_by_payer",
              "notice_failed")


class DirectDebitTask(models.Model):
    """Something about a Direct Debit an officer must deal with (a failed collection, one held
    back for want of advance notice, a mandate the payer's bank ended), open until closed."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="dd_tasks")
    mandate = models.ForeignKey(DirectDebitMandate, on_delete=models.PROTECT,
                                related_name="tasks")
    kind = models.CharField(max_length=30, choices=_choices(TASK_KINDS))
    detail = models.CharField(max_length=300)
    on = models.DateField()
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.mandate_id}"


class AdvanceNotice(models.Model):
    """The advance notice a payer was sent before a first collection or a change of amount,
    day or frequency: what it said and when it went (Bacs scheme rules)."""

    mandate = models.ForeignKey(DirectDebitMandate, on_delete=models.PROTECT,
                                related_name="notices")
    sent_on = models.DateField()
    first_collection = models.DateField(help_text="the first collection the notice covers")
    amount = models.BigIntegerField()
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES))
    day = models.IntegerField()
    why = models.CharField(max_length=200)
    reference = models.CharField(max_length=40)
    provider_id = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.mandate_id} {self.sent_on}"


CARD_STATUSES = ("approved", "declined")


class CardPayment(models.Model):
    """A card payment an officer took during a call: the amount, the provider's answer and
    reference, and the ledger payment it posted when approved."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="card_payments")
    amount = models.BigIntegerField(help_text="pence, > 0")
    date = models.DateField()
    provider = models.CharField(max_length=30)
    provider_ref = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=20, choices=_choices(CARD_STATUSES))
    message = models.CharField(max_length=200, blank=True)
    transaction_ref = models.CharField(max_length=64, blank=True)
    actor_name = models.CharField(max_length=150)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="card_amount_gt_0"),
        ]

    def __str__(self) -> str:
        return self.provider_ref
