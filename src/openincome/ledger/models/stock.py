"""Landlord, patches and properties."""

from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.vocab import PROPERTY_TYPES, choices


class Landlord(models.Model):
    """The landlord this database belongs to (one row), from the manifest."""

    name = models.CharField(max_length=200, blank=True)
    exported_at = models.CharField(max_length=40, blank=True)
    # The weekday rent weeks start on (0 = Monday), as the landlord configures it.
    rent_week_day = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    def __str__(self) -> str:
        return self.name or "Landlord"

    @classmethod
    def current(cls) -> "Landlord":
        """The landlord row, created empty when the database is new."""
        landlord = cls.objects.order_by("pk").first()
        return landlord or cls.objects.create()


class Patch(models.Model):
    """An officer's area: a group of properties."""

    code = models.CharField(max_length=50, unique=True)
    name = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "patches"

    def __str__(self) -> str:
        return self.code


class Property(models.Model):
    """A dwelling or garage."""

    property_ref = models.CharField(max_length=50, unique=True)
    address_line_1 = models.CharField(max_length=200)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=12, db_index=True)
    property_type = models.CharField(max_length=20, choices=choices(PROPERTY_TYPES), blank=True)
    bedrooms = models.PositiveSmallIntegerField(null=True, blank=True)
    patch = models.ForeignKey(Patch, on_delete=models.PROTECT, related_name="properties")
    history = HistoricalRecords()

    class Meta:
        ordering = ["property_ref"]
        verbose_name_plural = "properties"

    def __str__(self) -> str:
        return self.property_ref

    @property
    def address(self) -> str:
        """One-line address."""
        parts = [self.address_line_1, self.address_line_2, self.town, self.postcode]
        return ", ".join(p for p in parts if p)
