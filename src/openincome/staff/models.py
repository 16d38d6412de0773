"""Allocation of patches to officers (users and roles are Django's users and groups)."""

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
    # The tables kept the names they had in the cases app, so moving the model moved no data.
    history = HistoricalRecords(table_name="cases_historicalpatchallocation")

    class Meta:
        db_table = "cases_patchallocation"
        constraints = [
            models.UniqueConstraint(fields=["user", "patch"], name="allocation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.patch}"
