"""The account page's communications section reads its rows here, so the account view needs
no change to show them."""

from django import template

from openincome.letters.queries import communications, open_failures_of, sent_automatically

register = template.Library()


@register.simple_tag
def communications_of(tenancy) -> dict:
    """The tenancy's latest 50 communications and how many failures are still open."""
    items = list(communications(tenancy)[:50])
    failures = sum(1 for i in items if i.failed and i.task_closed_at is None)
    return {"items": items, "failures": failures}


@register.simple_tag
def undelivered_of(tenancy) -> list:
    """The tenancy's communications that were not delivered and nobody has dealt with."""
    return list(open_failures_of(tenancy)[:5])


@register.simple_tag
def automatic_sends(as_of) -> list[tuple[str, int]]:
    """What the nightly run for this date sent by itself, by template and channel."""
    return sorted(sent_automatically(as_of).items())
