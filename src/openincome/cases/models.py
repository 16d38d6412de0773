"""Cases: worklists, contacts, checkpoints and pauses of recovery action."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import PAUSE_REASONS, choices


class Pause(models.Model):
    """A pause of recovery action (Breathing Space or an officer's pause)."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(max_length=40, choices=choices(PAUSE_REASONS))
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    # The tables kept the names they had in the ledger app, so moving the model moved no data.
    history = HistoricalRecords(table_name="ledger_historicalpause")

    class Meta:
        db_table = "ledger_pause"
        constraints = [
            models.UniqueConstraint(
                fields=["tenancy", "reason", "start_date"], name="pause_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} from {self.start_date}"


class WorklistRun(models.Model):
    """One classification of every tenancy as of a date (the nightly run)."""

    as_of = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    policy_name = models.CharField(max_length=100)
    # What the rows were classified under: a stored row is current only while both still are.
    policy_version = models.ForeignKey(
        "policy.PolicyVersion", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rent_week_day = models.PositiveSmallIntegerField(null=True)
    tenancies = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    # How the transactions were read: "full", or from the checkpoint at this date.
    checkpoint_as_at = models.DateField(null=True)

    class Meta:
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"worklist as of {self.as_of}"


class WorklistEntry(models.Model):
    """The engine's recommendation for one tenancy as of a date (POLICY.md §7)."""

    # Every query names the run first: the (run, …) indexes below serve them, and each index
    # less makes storing a night's 150k rows faster. The rows are derived data, written in
    # bulk by the nightly run from the tenancies it has just read, and deleted with their run
    # by Django's cascade: a database check of every row's two keys at commit cost 1.7 s of
    # a 10 s run, so the keys are not constrained in the database.
    run = models.ForeignKey(WorklistRun, on_delete=models.CASCADE, related_name="entries",
                            db_index=False, db_constraint=False)
    tenancy = models.ForeignKey(
        "ledger.Tenancy", on_delete=models.CASCADE, related_name="worklist_entries",
        db_index=False, db_constraint=False,
    )
    patch = models.CharField(max_length=50)
    tenure = models.CharField(max_length=20)
    balance = models.BigIntegerField()
    arrears = models.BigIntegerField()
    technical_arrears = models.BigIntegerField()
    actionable_arrears = models.BigIntegerField()
    weekly_charge = models.BigIntegerField()
    # Hundredths of a week (POLICY.md gives two decimals), so no floats are stored.
    weeks_owed_x100 = models.IntegerField(null=True)
    days_in_arrears = models.IntegerField()
    days_since_last_payment = models.IntegerField(null=True)
    episode_start = models.DateField(null=True)
    action = models.CharField(max_length=40)
    notice_kind = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=list)
    # The deciding reason code, kept apart so lists can filter on it in any database.
    reason = models.CharField(max_length=60, blank=True)
    # Each reason as the sentence an officer reads out, written when the row is classified.
    explanations = models.JSONField(default=list)
    blocked_by = models.JSONField(default=list)
    pause_reason = models.CharField(max_length=40, blank=True)
    pause_until = models.DateField(null=True)
    priority = models.PositiveSmallIntegerField()
    vulnerable = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True)
    # Shown on the account page, so it can use this row instead of classifying again.
    last_payment_date = models.DateField(null=True)
    block_explanations = models.JSONField(default=list)
    # The tenancy's input version (ledger.TenancyStamp) read before its inputs were: while it
    # is unchanged, nothing the engine reads for this tenancy has changed since.
    inputs_version = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "tenancy"], name="worklist_entry_unique")
        ]
        indexes = [
            models.Index(fields=["run", "-priority"], name="worklist_priority"),
            # An officer's worklist is one run's rows for their patches (~1/300 of the rows).
            models.Index(fields=["run", "patch"], name="worklist_run_patch"),
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id}: {self.action}"

    @property
    def weeks_owed(self) -> float | None:
        """Weeks owed with two decimals."""
        return None if self.weeks_owed_x100 is None else self.weeks_owed_x100 / 100


class Checkpoint(models.Model):
    """Every tenancy's opening (balance checkpoint) at a date, for later nightly runs.

    A run reads each tenancy's opening plus its transactions dated after `as_at` instead of
    its whole history. Transactions added later but dated on or before `as_at` (a backdated
    correction) are found by id: every id up to `high_water` was committed when the openings
    were taken, so rows above it dated ≤ as_at send their tenancy back to a full read.
    """

    as_at = models.DateField()
    high_water = models.BigIntegerField()
    # The transaction-type classification the balances were summed under (policy types).
    policy_key = models.CharField(max_length=64)
    tenancies = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_at", "-id"]

    def __str__(self) -> str:
        return f"checkpoint at {self.as_at}"


class Opening(models.Model):
    """One tenancy's transactions dated on or before the checkpoint's date, summarised."""

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="openings")
    tenancy = models.ForeignKey(
        "ledger.Tenancy", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    balance = models.BigIntegerField()
    episode_start = models.DateField(null=True)
    last_payment_date = models.DateField(null=True)
    last_hb_date = models.DateField(null=True)
    unknown_types = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "tenancy"], name="opening_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id} at {self.checkpoint_id}: {self.balance}"


class OpeningHistory(models.Model):
    """A tenancy's transactions dated on or before the checkpoint's date, kept whole.

    For the few tenancies whose figures reach behind the checkpoint (an old breathing space
    or court order, see engine.openings.history_needed): reading these rows as three packed
    arrays is far cheaper than finding them one by one among millions of transactions.
    Little-endian int32 days since 1970-01-01, int16 codes (index in TRANSACTION_TYPES),
    int64 unsigned pence, in date order.
    """

    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="histories")
    tenancy = models.ForeignKey(
        "ledger.Tenancy", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    days = models.BinaryField()
    codes = models.BinaryField()
    amounts = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkpoint", "tenancy"],
                                    name="opening_history_unique")
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id} at {self.checkpoint_id}: {len(self.days) // 4} rows"


CONTACT_CHANNELS = ["phone", "visit", "office", "email", "sms", "letter"]
CONTACT_DIRECTIONS = ["outbound", "inbound"]
# Outcome -> the ladder's recorded action it counts as (POLICY.md §5.4 contact rule).
CONTACT_OUTCOMES = {
    "spoke_to_tenant": "contact_made",
    # The tenant promised to pay: the officer is offered the promise form next (POLICY §3.10).
    "promised_to_pay": "contact_made",
    "no_answer": "contact_attempted",
    "left_message": "contact_attempted",
    "wrong_number": "contact_attempted",
    "message_received": "",
    # A letter, text or email Open Income sent (the letters app records its ladder code).
    "sent": "",
}
# Outcomes only the system logs: an officer's contact form does not offer them.
SYSTEM_CONTACT_OUTCOMES = ("sent",)


class Contact(models.Model):
    """A conversation or attempt with the tenant, logged by an officer."""

    tenancy = models.ForeignKey(
        "ledger.Tenancy", on_delete=models.PROTECT, related_name="contacts"
    )
    date = models.DateField()
    channel = models.CharField(
        max_length=10, choices=[(c, c.capitalize()) for c in CONTACT_CHANNELS]
    )
    direction = models.CharField(
        max_length=10, choices=[(d, d.capitalize()) for d in CONTACT_DIRECTIONS]
    )
    outcome = models.CharField(
        max_length=20, choices=[(o, o.replace("_", " ").capitalize()) for o in CONTACT_OUTCOMES]
    )
    note = models.TextField(blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    # The officer agreed to call back on this day: it shows in their week's programme.
    callback_date = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.direction} on {self.date}: {self.outcome}"
