"""Reading the as-of date of a request (the web layer is allowed to read the clock)."""

import datetime

from django.utils import dateformat, timezone

from .fields import parse_typed_date


def parse_as_of(value: str | None) -> tuple[datetime.date, str | None]:
    """The as-of date from a query value (today when empty) and an error message if invalid."""
    today = timezone.localdate()
    if not value:
        return today, None
    # The boxes show "23 Nov 2026"; links and scripts use 2026-11-23: both are read.
    date = parse_typed_date(value)
    if date is None:
        return today, "Enter a real date between 1900 and 2199, like 23 Nov 2026"
    return date, None


def uk_date(value: datetime.date | str | None, long: bool = False) -> str:
    """A date as "22 Sep 2026" ("22 September 2026" when long); ISO strings too."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return dateformat.format(value, "j F Y" if long else "j M Y")
