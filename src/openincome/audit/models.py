"""The append-only audit trail: who did what, when and why."""

from django.conf import settings
from django.db import models

from openincome.common.appendonly import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One audited change to money, status or a legal step, or an import."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    # The acting username is kept too, so the trail reads the same if the user is renamed.
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=60, db_index=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_ref = models.CharField(max_length=100, blank=True, db_index=True)
    why = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_ref}"
