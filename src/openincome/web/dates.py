"""Reading the as-of date of a request (the web layer is allowed to read the clock)."""

import datetime

from django.utils import timezone

from openincome.ledger.limits import DATE_RULE, date_problem

FORMAT_ERROR = "Enter the date as YYYY-MM-DD, for example 2026-11-23"
# The interchange's range (ledger.limits): a date further out is a slip, and the pages' date
# arithmetic (a year of chart, the rent week) would overflow near year 1 or 9999.
RANGE_ERROR = f"The date {DATE_RULE}"


def parse_as_of(value: str | None) -> tuple[datetime.date, str | None]:
    """The as-of date from a query value (today when empty) and an error message if invalid."""
    today = timezone.localdate()
    if not value:
        return today, None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return today, FORMAT_ERROR
    if date_problem(day):
        return today, RANGE_ERROR
    return day, None
