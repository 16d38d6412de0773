"""Plain records of benefits, agreements, notices, court cases, pauses, promises and actions.

Their behaviour (monitoring, legal steps) lives in later apps; here they are what was imported.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.vocab import (
    ACTION_CHANNELS,
    ACTION_CODES,
    AGREEMENT_KINDS,
    AGREEMENT_STATUSES,
    BENEFIT_STATUSES,
    BENEFITS,
    COURT_OUTCOMES,
    FREQUENCIES,
    NOTICE_KINDS,
    PAUSE_REASONS,
    choices,
)

from .tenancy import Tenancy


class BenefitClaim(models.Model):
    """A Housing Benefit or Universal Credit claim; its status is the latest known."""

    claim_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="benefit_claims")
    benefit = models.CharField(max_length=5, choices=choices(BENEFITS))
    status = models.CharField(max_length=20, choices=choices(BENEFIT_STATUSES))
    status_date = models.DateField()
    direct_to_landlord = models.BooleanField(null=True, blank=True)
    expected_amount = models.BigIntegerField(null=True, blank=True, help_text="pence per cycle")
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES), blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.claim_ref


class Agreement(models.Model):
    """A repayment agreement towards the arrears, paid on top of the charge."""

    agreement_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=20, choices=choices(AGREEMENT_KINDS))
    start_date = models.DateField()
    starting_balance = models.BigIntegerField(help_text="pence")
    instalment = models.BigIntegerField(help_text="pence per period")
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES))
    status = models.CharField(max_length=20, choices=choices(AGREEMENT_STATUSES))
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.agreement_ref


class Notice(models.Model):
    """A notice served on the tenant (NOSP, s128, section 8, notice to quit)."""

    notice_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=choices(NOTICE_KINDS))
    served_date = models.DateField()
    earliest_proceedings_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.notice_ref


class CourtCase(models.Model):
    """A possession claim and what the court decided."""

    case_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="court_cases")
    claim_date = models.DateField()
    hearing_date = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=choices(COURT_OUTCOMES), blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    possession_date = models.DateField(null=True, blank=True)
    terms_instalment = models.BigIntegerField(null=True, blank=True, help_text="pence")
    terms_frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES), blank=True)
    warrant_date = models.DateField(null=True, blank=True)
    eviction_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.case_ref


class Pause(models.Model):
    """A pause of recovery action (Breathing Space or an officer's pause)."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="pauses")
    reason = models.CharField(max_length=40, choices=choices(PAUSE_REASONS))
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["tenancy", "reason", "start_date"], name="pause_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} from {self.start_date}"


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
