"""Small builders for ledger rows in tests (fictional data only)."""

import datetime

from openincome.ledger.models import Patch, Property, Tenancy


def make_tenancy(
    ref: str,
    tenure: str = "secure",
    start: datetime.date = datetime.date(2025, 4, 7),
    end: datetime.date | None = None,
    patch: str = "EAST",
) -> Tenancy:
    """A tenancy of its own property on a patch."""
    p, _ = Patch.objects.get_or_create(code=patch)
    prop = Property.objects.create(
        property_ref=f"P-{ref}", address_line_1=f"{ref} Test Street", postcode="ZZ1 1ZZ", patch=p
    )
    return Tenancy.objects.create(
        tenancy_ref=ref, property=prop, tenure=tenure, start_date=start, end_date=end
    )
