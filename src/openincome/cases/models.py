"""Allocation of patches to officers (worklists and contacts arrive with their issues)."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.models import Patch


class PatchAllocation(models.Model):
    """An officer works this patch; their worklist opens on their patches."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="patch_allocations"
    )
    patch = models.ForeignKey(Patch, on_delete=models.CASCADE, related_name="allocations")
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "patch"], name="allocation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.patch}"


class WorklistRun(models.Model):
    """One classification of every tenancy as of a date (the nightly run)."""

    as_of = models.DateField(unique=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    policy_name = models.CharField(max_length=100)
    tenancies = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-as_of"]

    def __str__(self) -> str:
        return f"worklist as of {self.as_of}"


class WorklistEntry(models.Model):
    """The engine's recommendation for one tenancy as of a date (POLICY.md §7)."""

    run = models.ForeignKey(WorklistRun, on_delete=models.CASCADE, related_name="entries")
    tenancy = models.ForeignKey(
        "ledger.Tenancy", on_delete=models.CASCADE, related_name="worklist_entries"
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
    action = models.CharField(max_length=40, db_index=True)
    notice_kind = models.CharField(max_length=20, blank=True)
    reasons = models.JSONField(default=list)
    # The deciding reason code, kept apart so lists can filter on it in any database.
    reason = models.CharField(max_length=60, blank=True, db_index=True)
    # Each reason as the sentence an officer reads out, written when the row is classified.
    explanations = models.JSONField(default=list)
    blocked_by = models.JSONField(default=list)
    pause_reason = models.CharField(max_length=40, blank=True)
    pause_until = models.DateField(null=True)
    priority = models.PositiveSmallIntegerField(db_index=True)
    vulnerable = models.BooleanField(default=False)
    updated_at = models.DateTimeField(null=True)

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


CONTACT_CHANNELS = ["phone", "visit", "office", "email", "sms", "letter"]
CONTACT_DIRECTIONS = ["outbound", "inbound"]
# Outcome -> the ladder's recorded action it counts as (POLICY.md §5.4 contact rule).
CONTACT_OUTCOMES = {
    "spoke_to_tenant": "contact_made",
    "no_answer": "contact_attempted",
    "left_message": "contact_attempted",
    "wrong_number": "contact_attempted",
    "message_received": "",
}


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
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"{self.channel} {self.direction} on {self.date}: {self.outcome}"
