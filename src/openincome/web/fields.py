"""The GOV.UK date input (day, month and year boxes) as one Django form field and widget.

GOV.UK asks for a known date as three boxes rather than one typed string, with messages that
say exactly what is wrong ("Start date must include a month", "Enter a real date"), and shows
back what the user typed. The range is the one every edge accepts (`ledger.limits`).
"""

from __future__ import annotations

import datetime
import re

from django import forms

from openincome.ledger.limits import date_problem

PARTS = ("day", "month", "year")
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")),
        start=1,
    )
    for name in names
}


class GovDateWidget(forms.MultiWidget):
    """Three text boxes named NAME-day, NAME-month and NAME-year (GOV.UK's date input)."""

    input_type = "govuk_date"  # _field.html renders this widget as a GOV.UK date input

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = [f"-{part}" for part in PARTS]

    def decompress(self, value) -> list[str]:
        """A date as the three boxes' text (empty boxes for no date)."""
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, str) and value:
            return _split_typed(value)
        return ["", "", ""]

    def value_from_datadict(self, data, files, name) -> list[str]:
        """What was typed in the three boxes.

        A single NAME value (2026-11-23 or 23/11/2026) is read too, so a script or an older
        client posting one string is checked by the same rules.
        """
        keys = [f"{name}-{part}" for part in PARTS]
        if not any(key in data for key in keys) and data.get(name):
            return _split_typed(data[name])
        return [data.get(key, "") for key in keys]

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and not any(f"{name}-{part}" in data for part in PARTS)


def _split_typed(text: str) -> list[str]:
    """[day, month, year] from one typed string, ISO or UK order."""
    text = text.strip()
    if m := re.fullmatch(r"(\d{1,4})-(\d{1,2})-(\d{1,2})", text):
        return [m[3], m[2], m[1]]
    pieces = re.split(r"[/\s.]+", text)
    return (pieces + ["", "", ""])[:3] if len(pieces) <= 3 else [text, "", ""]


def parse_typed_date(text: str) -> datetime.date | None:
    """A date typed in one box: 23 Nov 2026, 23 November 2026, 23/11/2026 or 2026-11-23
    (None when it is not a real date between 1900 and 2199)."""
    day, month, year = _split_typed(text or "")
    month = str(_MONTHS.get(month.lower(), month))
    if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
        return None
    try:
        date = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return None if date_problem(date) else date


class GovDateField(forms.Field):
    """A date typed as day, month and year, checked the GOV.UK way and within 1900-2199."""

    widget = GovDateWidget
    default_error_messages = {
        "required": "Enter the date",
        "invalid": "Enter a real date",
        "year": "Year must include 4 numbers",
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", "For example, 27 3 2026")
        super().__init__(*args, **kwargs)
        # The boxes an error is about, so only they are shown in red (GOV.UK's pattern).
        self.error_parts: tuple[str, ...] = ()

    def to_python(self, value) -> datetime.date | None:
        """The date from [day, month, year] text, or a GOV.UK message saying what is wrong."""
        if isinstance(value, datetime.date):
            return value
        typed = [str(v or "").strip() for v in (value or ["", "", ""])]
        self.error_parts = ()
        if not any(typed):
            return None
        missing = [part for part, text in zip(PARTS, typed, strict=True) if not text]
        if missing:
            self.error_parts = tuple(missing)
            what = " and ".join(missing) if len(missing) < 3 else "day, month and year"
            raise forms.ValidationError(f"{self.label or 'Date'} must include a {what}",
                                        code="incomplete")
        day, month, year = typed
        month = str(_MONTHS.get(month.lower(), month))
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            self.error_parts = PARTS
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        if len(year) != 4:
            self.error_parts = ("year",)
            raise forms.ValidationError(self.error_messages["year"], code="year")
        try:
            date = datetime.date(int(year), int(month), int(day))
        except ValueError:
            self.error_parts = PARTS
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if problem := date_problem(date):
            self.error_parts = ("year",)
            raise forms.ValidationError(f"{self.label or 'Date'} {problem}", code="range")
        return date

    def validate(self, value) -> None:
        if value is None and self.required:
            self.error_parts = PARTS
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != initial
        except forms.ValidationError:
            return True
