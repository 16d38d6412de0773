"""Tenancies and the people who hold them."""

import datetime

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.vocab import CHANNELS, TENURES, choices

from .stock import Property


class Tenancy(models.Model):
    """A tenancy (or licence, or garage let) of one property."""

    tenancy_ref = models.CharField(max_length=50, unique=True)
    property = models.ForeignKey(Property, on_delete=models.PROTECT, related_name="tenancies")
    tenure = models.CharField(max_length=20, choices=choices(TENURES))
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    payment_reference = models.CharField(max_length=50, blank=True, db_index=True)
    preferred_channel = models.CharField(max_length=10, choices=choices(CHANNELS), blank=True)
    # Introductory and starter tenancies: the day the trial ends (empty: start + the policy's
    # trial_months).
    trial_end_date = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tenancy_ref"]
        verbose_name_plural = "tenancies"

    def __str__(self) -> str:
        return self.tenancy_ref

    def is_current(self, as_of: datetime.date) -> bool:
        """Whether the tenancy has started and not ended at as_of."""
        return self.start_date <= as_of and (self.end_date is None or self.end_date > as_of)


class Tenant(models.Model):
    """A person named on a tenancy."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="tenants")
    person_ref = models.CharField(max_length=50)
    title = models.CharField(max_length=20, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.CharField(max_length=200, blank=True)
    mobile = models.CharField(max_length=30, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    is_lead = models.BooleanField(null=True, blank=True)
    # Semicolon-separated codes, exactly as the interchange carries them.
    vulnerabilities = models.CharField(max_length=300, blank=True)
    # What "other" means for this tenant, in the officer's words (the codes cannot say).
    vulnerability_note = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["tenancy", "-is_lead", "person_ref"]
        constraints = [
            models.UniqueConstraint(fields=["tenancy", "person_ref"], name="tenant_unique_person")
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Title, first and last name."""
        return " ".join(p for p in [self.title, self.first_name, self.last_name] if p)

    @property
    def vulnerability_codes(self) -> list[str]:
        """The vulnerability codes as a list."""
        return [c for c in self.vulnerabilities.split(";") if c]
