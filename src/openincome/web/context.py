"""Template context shared by every page: the navigation for the user's roles."""

from django.urls import reverse


def navigation(request) -> dict:
    """Navigation items (key, label, url) the signed-in user may use."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    items = [
        ("worklist", "Worklist", reverse("worklist")),
        ("programme", "Work programme", reverse("programme")),
        ("tenancies", "Tenancies", reverse("tenancy-list")),
        ("search", "Find a tenancy", reverse("search")),
        ("benefits", "Benefits", reverse("benefits")),
    ]
    if user.has_perm("letters.send"):
        # A letter or message that did not arrive is a task for the officer.
        items.append(("failures", "Delivery failures", reverse("letters-failures")))
    if user.has_perm("agreements.view_referrals"):
        items.append(("referrals", "Referrals", reverse("referrals")))
    if user.has_perm("legal.protocol"):
        items.append(("approvals", "Approvals", reverse("approvals")))
    if user.has_perm("legal.view_court"):
        items.append(("court", "Court", reverse("court-hearings")))
    if user.has_perm("cases.manage_users"):
        items.append(("admin", "Administration", "/admin/"))
    return {"nav_items": items}
