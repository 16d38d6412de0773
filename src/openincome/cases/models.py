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
        indexes = [models.Index(fields=["run", "-priority"], name="worklist_priority")]

    def __str__(self) -> str:
        return f"{self.tenancy_id}: {self.action}"

    @property
    def weeks_owed(self) -> float | None:
        """Weeks owed with two decimals."""
        return None if self.weeks_owed_x100 is None else self.weeks_owed_x100 / 100
