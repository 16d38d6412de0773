"""Per-tenancy input versions: unchanged version, unchanged engine inputs (see TenancyStamp)."""

from __future__ import annotations

from openincome.ledger.models import TenancyStamp


def versions(tenancy_ids: list[int] | None = None) -> dict[int, int]:
    """Input version by tenancy id (all when None); tenancies never changed are absent (0)."""
    rows = TenancyStamp.objects.order_by()
    if tenancy_ids is not None:
        rows = rows.filter(tenancy_id__in=tenancy_ids)
    return dict(rows.values_list("tenancy_id", "version"))


def version(tenancy_id: int) -> int:
    """One tenancy's input version (0 when it has never changed)."""
    return versions([tenancy_id]).get(tenancy_id, 0)
