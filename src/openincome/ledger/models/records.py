"""Plain records of promises and recorded actions.

Agreements, notices, court cases, benefit claims and pauses moved to the apps that own their
behaviour (agreements, legal, benefits, cases). Promises and recorded actions stay here: they
are written by several apps (cases now; letters, legal and payments next) and owned by none
of them, so the bottom layer that all of them may import is their home.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.vocab import ACTION_CHANNELS, ACTION_CODES, choices

from .tenancy import Tenancy


class Promise(models.Model):
    """A tenant's promise to pay an amount by a date (POLICY.md §3.10)."""

    promise_ref = models.CharField(max_length=64, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="promises")
    made_date = models.DateField()
    due_date = models.DateField()
    amount = models.BigIntegerField(help_text="pence")
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tenancy", "made_date", "due_date", "promise_ref"]

    def __str__(self) -> str:
        return self.promise_ref


class RecordedAction(models.Model):
    """Something an officer did that moves the ladder (a letter, a contact, a checklist)."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="actions")
    date = models.DateField()
    code = models.CharField(max_length=40, choices=choices(ACTION_CODES))
    channel = models.CharField(max_length=10, choices=choices(ACTION_CHANNELS), blank=True)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenancy", "date", "id"]
        indexes = [models.Index(fields=["tenancy", "date"], name="action_tenancy_date")]

    def __str__(self) -> str:
        return f"{self.code} on {self.date}"
