"""Reading the as-of date of a request (the web layer is allowed to read the clock)."""

import datetime

from django.utils import timezone


def parse_as_of(value: str | None) -> tuple[datetime.date, str | None]:
    """The as-of date from a query value (today when empty) and an error message if invalid."""
    today = timezone.localdate()
    if not value:
        return today, None
    try:
        return datetime.date.fromisoformat(value), None
    except ValueError:
        return today, "Enter the date as YYYY-MM-DD, for example 2026-11-23"
