"""Repayment agreements towards the arrears."""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import AGREEMENT_KINDS, AGREEMENT_STATUSES, FREQUENCIES, choices


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
    # A first payment due on the start date, on top of the instalments. POLICY.md §4 monitors
    # B − n × I only, so the engine does not check it; the plan's end date and terms count it.
    lump_sum = models.BigIntegerField(null=True, blank=True, help_text="pence")
    note = models.TextField(blank=True, help_text="why it was made on these terms")
    end_date = models.DateField(null=True, blank=True, help_text="cancelled or completed on")
    end_reason = models.TextField(blank=True)
    # The tables kept the names they had in the ledger app, so moving the model moved no data.
    history = HistoricalRecords(table_name="ledger_historicalagreement")

    class Meta:
        db_table = "ledger_agreement"

    def __str__(self) -> str:
        return self.agreement_ref
