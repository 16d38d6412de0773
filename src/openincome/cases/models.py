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
