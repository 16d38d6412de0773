"""Benefit claims towards the rent."""

from django.db import models
from simple_history.models import HistoricalRecords

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
