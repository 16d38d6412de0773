"""Effective-dated policy versions: the parameters of POLICY.md as data."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class PolicyVersion(models.Model):
    """One version of the arrears policy, in force from `effective_from` until the next one."""

    name = models.CharField(max_length=100)
    effective_from = models.DateField(unique=True)
    params = models.JSONField(help_text="PolicyParams.to_dict()")
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["effective_from"]

    def __str__(self) -> str:
        return f"{self.name} from {self.effective_from}"
