"""Legal steps: notices served and possession claims."""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import COURT_OUTCOMES, FREQUENCIES, NOTICE_KINDS, choices

SERVICE_METHOD_CHOICES = [("hand", "By hand"), ("post", "By first-class post"),
                          ("left", "Left at the property")]

# The tables below kept the names they had in the ledger app, so moving the models moved no data.


class Notice(models.Model):
    """A notice served on the tenant (NOSP, s128, section 8, notice to quit)."""

    notice_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(max_length=20, choices=choices(NOTICE_KINDS))
    served_date = models.DateField()
    earliest_proceedings_date = models.DateField(null=True, blank=True)
    expiry_date = models.DateField(null=True, blank=True)
    # How it was served and the day it counts as served (POLICY.md §6); blank on imported
    # notices, which carry their dates.
    method = models.CharField(max_length=10, choices=SERVICE_METHOD_CHOICES, blank=True)
    deemed_service_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords(table_name="ledger_historicalnotice")

    class Meta:
        db_table = "ledger_notice"

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
    history = HistoricalRecords(table_name="ledger_historicalcourtcase")

    class Meta:
        db_table = "ledger_courtcase"

    def __str__(self) -> str:
        return self.case_ref
