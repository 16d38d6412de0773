"""Template filters for money and query strings."""

from django import template

from openincome.web.money import pounds as _pounds

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
