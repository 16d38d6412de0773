"""Dates as people in the UK read them: "5 Apr 2026", or "5 April 2026" in letters, notices
and court documents. One helper for every layer (the web's `uk_date` filter calls it too), so
a date reads the same on a page, a PDF and the command line.

Month and day names are spelt here, not taken from the C library's locale, so the words never
change with the server's language settings.
"""

from __future__ import annotations

import datetime

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def uk_date(day: datetime.date, long: bool = False, *, weekday: bool = False) -> str:
    """ "5 Apr 2026" ("5 April 2026" when `long`), the weekday first when `weekday`:
    "Sun 5 Apr 2026", "Sunday 5 April 2026"."""
    month = MONTHS[day.month - 1]
    text = f"{day.day} {month if long else month[:3]} {day.year}"
    if weekday:
        name = DAYS[day.weekday()]
        text = f"{name if long else name[:3]} {text}"
    return text
