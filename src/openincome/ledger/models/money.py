"""Charges, transactions (append-only) and the rent calendar's rent-free weeks."""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.common.appendonly import AppendOnlyModel
from openincome.ledger.vocab import (
    CHARGE_CODES,
    CREDIT_TYPES,
    DEBIT_TYPES,
    FREQUENCIES,
    TRANSACTION_TYPES,
    choices,
)

from .tenancy import Tenancy


class Charge(models.Model):
    """An effective-dated recurring charge (rent, service, water, ...) in pence per period."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="charges")
    charge_code = models.CharField(max_length=20, choices=choices(CHARGE_CODES))
    amount = models.BigIntegerField(help_text="pence per period")
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES))
    effective_from = models.DateField()
    effective_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tenancy", "charge_code", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["tenancy", "charge_code", "effective_from"], name="charge_unique_start"
            ),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="charge_amount_gte_0"),
        ]

    def __str__(self) -> str:
        return f"{self.tenancy_id} {self.charge_code} from {self.effective_from}"


class Transaction(AppendOnlyModel):
    """One debit or credit on a rent account; never updated or deleted.

    `amount` is signed pence: debits positive, credits negative, so a balance is a plain SUM.
    """

    transaction_ref = models.CharField(max_length=64, unique=True)
    # The (tenancy, date) index below serves tenancy look-ups.
    tenancy = models.ForeignKey(
        Tenancy, on_delete=models.PROTECT, related_name="transactions", db_index=False
    )
    date = models.DateField()
    type = models.CharField(max_length=20, choices=choices(TRANSACTION_TYPES))
    amount = models.BigIntegerField(help_text="signed pence: debit > 0, credit < 0")
    description = models.CharField(max_length=300, blank=True)
    period_start = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["tenancy", "date", "id"]
        # Both cover every column the nightly run reads, so on PostgreSQL it reads from the
        # index alone: rows dated after its checkpoint by date, some tenancies in full by
        # tenancy (and the account page a tenancy's rows in date order).
        indexes = [
            models.Index(fields=["tenancy", "date"], include=["type", "amount"],
                         name="tx_tenancy_date_covering"),
            models.Index(fields=["date"], include=["tenancy", "type", "amount"],
                         name="tx_date_covering"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(type__in=DEBIT_TYPES, amount__gte=0)
                    | models.Q(type__in=CREDIT_TYPES, amount__lte=0)
                ),
                name="tx_sign_matches_type",
            ),
        ]

    def __str__(self) -> str:
        return self.transaction_ref

    @property
    def unsigned_amount(self) -> int:
        """The amount as the interchange carries it (≥ 0; the sign comes from the type)."""
        return abs(self.amount)

    @property
    def is_debit(self) -> bool:
        """Whether this transaction raises the balance."""
        return self.type in DEBIT_TYPES


class RentFreeWeek(models.Model):
    """A rent week the landlord charges no rent for (configured by the landlord)."""

    week_start = models.DateField(unique=True)
    note = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["week_start"]

    def __str__(self) -> str:
        return f"rent-free week from {self.week_start}"
