"""Per-tenancy input versions, kept by database triggers."""

from django.db import models

from .tenancy import Tenancy


class TenancyStamp(models.Model):
    """How many times a tenancy's engine inputs have changed; a missing row means version 0.

    Database triggers (ledger/stamp_triggers.py) bump `version` on every write to a table the
    engine reads for the tenancy, by whatever path (ORM, bulk inserts, raw SQL, COPY, admin).
    A stored worklist row computed at version v can then be reused while the version is still
    v, with no Python code having to remember to invalidate it. Never written by Python code.
    """

    # No database constraint: a trigger removes the stamp when its tenancy goes, so raw SQL
    # deletes of a tenancy are not blocked either.
    tenancy = models.OneToOneField(
        Tenancy, primary_key=True, on_delete=models.CASCADE, db_constraint=False,
        related_name="stamp",
    )
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.tenancy_id} v{self.version}"
