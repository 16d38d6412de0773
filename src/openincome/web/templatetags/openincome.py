"""Template filters for money and query strings."""

from django import template

from openincome.web.money import pounds as _pounds
from openincome.web.pagination import page_items

register = template.Library()


@register.filter
def pounds(value):
    """Format integer pence as pounds."""
    return _pounds(value)


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters changed (for sort and paging links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template (None when missing)."""
    return mapping.get(key) if mapping else None


@register.filter
def page_numbers(page):
    """The page numbers to link to (None for a gap), as GOV.UK pagination shows them."""
    return page_items(page)


@register.filter
def tel_href(number: str) -> str:
    """A phone number as a tel: link's target ("tel:07700900982"): digits and a leading +."""
    number = (number or "").strip()
    digits = "".join(ch for ch in number if ch.isdigit())
    return f"tel:{'+' if number.startswith('+') else ''}{digits}"
