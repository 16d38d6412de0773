"""Benefit claims towards the rent."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openincome.common.appendonly import AppendOnlyModel
from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import BENEFIT_STATUSES, BENEFITS, FREQUENCIES, choices


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
    # The tables kept the names they had in the ledger app, so moving the model moved no data
    # (the engine reads the history too: the status known at a date).
    history = HistoricalRecords(table_name="ledger_historicalbenefitclaim")

    class Meta:
        db_table = "ledger_benefitclaim"

    def __str__(self) -> str:
        return self.claim_ref


class ClaimEvent(AppendOnlyModel):
    """One dated step in a claim's story: its status from `date`, with the dates that matter
    (claim made, decision, entitlement start, expected first payment), who recorded it and why.

    Append-only: a mistake is put right by a later event, so the story stays as it was told.
    """

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=20, choices=choices(BENEFIT_STATUSES))
    date = models.DateField(help_text="the day the claim took this status")
    claim_made = models.DateField(null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    entitlement_start = models.DateField(null=True, blank=True)
    expected_first_payment = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["claim", "date"], name="claimevent_claim_date")]

    def __str__(self) -> str:
        return f"{self.claim.claim_ref} {self.status} {self.date}"
