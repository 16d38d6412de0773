"""The account page's legal-steps summary: where the protocol stands for the tenancy."""

from django import template

from openincome.legal.queries import protocol_records

register = template.Library()


@register.inclusion_tag("web/legal/_account_summary.html")
def legal_summary(tenancy):
    """The latest checklist and the live approval requests of a tenancy."""
    records = protocol_records(tenancy)
    live = [a for a in records.approvals if a.status in ("pending", "approved")]
    return {"checklist": records.checklists[0] if records.checklists else None,
            "approvals": live}
