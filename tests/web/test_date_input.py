"""The GOV.UK date input: day, month and year boxes, GOV.UK messages, 1900-2199, input kept."""

import datetime
import json
import re

import pytest
from django import forms
from django.utils import timezone

from openincome.web.fields import GovDateField

pytestmark = pytest.mark.django_db
CONTACT = "/tenancies/EX-0002/contact/"


class _StartForm(forms.Form):
    start = GovDateField(label="Start date", error_messages={"required": "Enter the start date"})


class _OptionalForm(forms.Form):
    end = GovDateField(label="End date", required=False)


def _parts(day="", month="", year="", name="start") -> dict[str, str]:
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (_parts("27", "3", "2026"), datetime.date(2026, 3, 27)),
        (_parts(" 7 ", "03", "2026"), datetime.date(2026, 3, 7)),
        (_parts("27", "Mar", "2026"), datetime.date(2026, 3, 27)),
        (_parts("27", "september", "2026"), datetime.date(2026, 9, 27)),
        (_parts("1", "1", "1900"), datetime.date(1900, 1, 1)),
        (_parts("31", "12", "2199"), datetime.date(2199, 12, 31)),
        ({"start": "2026-03-27"}, datetime.date(2026, 3, 27)),  # one ISO string, as scripts post
        ({"start": "27/03/2026"}, datetime.date(2026, 3, 27)),
    ],
)
def test_a_real_date_in_range_is_accepted(typed, expected):
    form = _StartForm(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start"] == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ({}, "Enter the start date"),
        (_parts(), "Enter the start date"),
        (_parts("31", "", "2026"), "Start date must include a month"),
        (_parts("", "", "2026"), "Start date must include a day and month"),
        (_parts("31", "12", ""), "Start date must include a year"),
        (_parts("31", "2", "2026"), "Enter a real date"),
        (_parts("0", "1", "2026"), "Enter a real date"),
        (_parts("1", "13", "2026"), "Enter a real date"),
        (_parts("x", "2", "2026"), "Enter a real date"),
        (_parts("1", "2", "26"), "Year must include 4 numbers"),
        (_parts("1", "1", "0001"), "Start date must be between 1 Jan 1900 and 31 Dec 2199"),
        (_parts("31", "12", "9999"), "Start date must be between 1 Jan 1900 and 31 Dec 2199"),
        (_parts("31", "12", "1899"), "Start date must be between 1 Jan 1900 and 31 Dec 2199"),
        ({"start": "9999-12-31"}, "Start date must be between 1 Jan 1900 and 31 Dec 2199"),
        ({"start": "2026-02-31"}, "Enter a real date"),
    ],
)
def test_a_wrong_date_gets_the_govuk_message(typed, message):
    form = _StartForm(typed)
    assert not form.is_valid()
    assert form.errors["start"] == [message]


def test_an_optional_date_left_empty_is_none_but_half_filled_is_an_error():
    assert _OptionalForm(_parts(name="end")).is_valid()
    assert _OptionalForm({}).is_valid()
    form = _OptionalForm(_parts("", "4", "2026", name="end"))
    assert form.errors["end"] == ["End date must include a day"]


def _input(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html)[0]


def test_the_contact_form_shows_three_boxes_filled_with_today(officer):
    html = officer.get(CONTACT).content.decode()
    assert 'class="govuk-date-input"' in html and "<legend" in html
    today = timezone.localdate()
    for part, value in (("day", today.day), ("month", today.month), ("year", today.year)):
        assert f'value="{value}"' in _input(html, f"date-{part}")
    assert 'name="date"' not in html


@pytest.mark.parametrize(
    ("typed", "message", "red"),
    [
        (("31", "2", "2026"), "Enter a real date", {"day", "month", "year"}),
        (("31", "", "2026"), "Date of contact must include a month", {"month"}),
        (("1", "1", "12"), "Year must include 4 numbers", {"year"}),
        (("1", "1", "2099"), "The date must be today or in the past", {"day", "month", "year"}),
    ],
)
def test_a_wrong_date_keeps_what_was_typed_and_marks_the_wrong_boxes(officer, typed, message,
                                                                       red):
    data = {"channel": "phone", "direction": "outbound", "outcome": "no_answer",
            **_parts(*typed, name="date")}
    response = officer.post(CONTACT, data)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    first_red = {"day": "id_date", "month": "id_date-month", "year": "id_date-year"}[
        next(part for part in ("day", "month", "year") if part in red)]
    assert f'href="#{first_red}"' in html and f'id="{first_red}"' in html  # the summary's link
    for part, value in zip(("day", "month", "year"), typed, strict=True):
        box = _input(html, f"date-{part}")
        assert f'value="{value}"' in box
        assert ("govuk-input--error" in box) == (part in red), part


def test_the_balance_chart_and_its_table_show_uk_dates(officer):
    html = officer.get("/tenancies/EX-0002/", {"as_of": "2026-11-23"}).content.decode()
    points = json.loads(re.search(r'id="balance-data"[^>]*>(.*?)</script>', html, re.S)[1])
    assert points and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}", p["label"])
                          for p in points)
    assert points[-1]["label"] == "23 Nov 2026"
    assert '<td class="govuk-table__cell">23 Nov 2026' in html
