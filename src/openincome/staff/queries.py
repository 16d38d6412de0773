"""Reads about staff: who works which patches."""

from .models import PatchAllocation


def officer_patches(user) -> list[str]:
    """The codes of the patches allocated to a user (their default worklist)."""
    return list(
        PatchAllocation.objects.filter(user=user).values_list("patch__code", flat=True)
    )


def patches_of(username: str) -> list[str]:
    """The codes of the patches a user (by username) works, sorted."""
    return sorted(
        PatchAllocation.objects.filter(user__username=username)
        .values_list("patch__code", flat=True)
    )


def officers() -> list[tuple[str, str]]:
    """Users who work patches, for the officer filter (username, display name)."""
    users = (PatchAllocation.objects.select_related("user").order_by("user__username")
             .values_list("user__username", "user__first_name", "user__last_name").distinct())
    return [(u, f"{f} {ln}".strip() or u) for u, f, ln in users]
