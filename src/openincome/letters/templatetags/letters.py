"""The account page's communications section reads its rows here, so the account view needs
no change to show them."""

from django import template

from openincome.letters.queries import communications

register = template.Library()


@register.simple_tag
def communications_of(tenancy) -> dict:
    """The tenancy's latest 50 communications and how many failures are still open."""
    items = list(communications(tenancy)[:50])
    failures = sum(1 for i in items if i.failed and i.task_closed_at is None)
    return {"items": items, "failures": failures}
