"""Template filters for money, labels, dates and query strings."""

from django import template

from openincome.ledger.pence import pounds as _pounds
from openincome.ledger.vocab import label as _label
from openincome.web.dates import uk_date as _uk_date
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


@register.filter
def label(code):
    """Any vocabulary code (tenure, channel, notice kind, action...) in plain English."""
    return _label(code)


@register.filter
def uk_date(value, style: str = ""):
    """A date as "22 Sep 2026" ("22 September 2026" with "long"); ISO strings too."""
    return _uk_date(value, long=style == "long")


@register.filter
def date_parts(field) -> list[dict]:
    """The day, month and year boxes of a GOV.UK date field: id, name, label, typed value,
    width and whether the error is about that box (all boxes when it is about the date)."""
    widget = field.field.widget
    value = field.value()
    typed = value if isinstance(value, (list, tuple)) else widget.decompress(value)
    at_fault = set(getattr(field.field, "error_parts", ()) or ()) if field.errors else set()
    if field.errors and not at_fault:
        at_fault = {"day", "month", "year"}
    ids = [field.auto_id, f"{field.auto_id}-month", f"{field.auto_id}-year"]
    return [
        {"id": ids[i], "name": f"{field.html_name}-{part}", "label": part.capitalize(),
         "value": typed[i] if i < len(typed) else "", "width": 4 if part == "year" else 2,
         "error": part in at_fault}
        for i, part in enumerate(("day", "month", "year"))
    ]


@register.filter
def error_anchor(field) -> str:
    """The id an error summary links to: the field, or a date's first box at fault."""
    if getattr(field.field.widget, "input_type", "") == "govuk_date":
        return next((part["id"] for part in date_parts(field) if part["error"]), field.auto_id)
    return field.auto_id
