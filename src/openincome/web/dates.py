"""Reading the as-of date of a request (the web layer is allowed to read the clock)."""

import datetime

from django.utils import timezone

from openincome.common.dates import uk_date as common_uk_date
from openincome.ledger.limits import DATE_RULE, date_problem

from .fields import parse_typed_date

FORMAT_ERROR = "Enter a real date, like 23 Nov 2026"
# The interchange's range (ledger.limits): a date further out is a slip, and the pages' date
# arithmetic (a year of chart, the rent week) would overflow near year 1 or 9999.
RANGE_ERROR = f"The date {DATE_RULE}"


def parse_as_of(value: str | None) -> tuple[datetime.date, str | None]:
    """The as-of date from a query value (today when empty) and an error message if invalid."""
    today = timezone.localdate()
    if not value:
        return today, None
    # The boxes show "23 Nov 2026"; links and scripts use 2026-11-23: both are read.
    date = parse_typed_date(value)
    if date is not None:
        return date, None
    try:
        # A well-formed date outside the accepted years gets the range message.
        if date_problem(datetime.date.fromisoformat(value)):
            return today, RANGE_ERROR
    except ValueError:
        pass
    return today, FORMAT_ERROR


def uk_date(value: datetime.date | str | None, long: bool = False) -> str:
    """A date as "22 Sep 2026" ("22 September 2026" when long); ISO strings too."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return common_uk_date(value, long=long)
