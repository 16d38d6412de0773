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
    # The tables kept the names they had in the ledger app, so moving the model moved no data.
    history = HistoricalRecords(table_name="ledger_historicalagreement")

    class Meta:
        db_table = "ledger_agreement"

    def __str__(self) -> str:
        return self.agreement_ref
