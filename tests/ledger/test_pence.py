"""Pence become text one way: pounds() for people, decimal_pounds() for files and forms."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openincome.interchange.schema import format_pounds, parse_pounds
from openincome.ledger.pence import decimal_pounds, pounds

PENCE = st.integers(min_value=-(10**15), max_value=10**15)


@pytest.mark.parametrize(("pence", "shown", "plain"), [
    (0, "£0.00", "0.00"), (5, "£0.05", "0.05"), (-5, "-£0.05", "-0.05"),
    (123_456, "£1,234.56", "1234.56"), (-250, "-£2.50", "-2.50"),
    (100_000_000, "£1,000,000.00", "1000000.00"),
])
def test_pence_read_the_same_everywhere(pence, shown, plain):
    assert (pounds(pence), decimal_pounds(pence)) == (shown, plain)


def test_nothing_shows_as_nothing_and_a_sign_on_request():
    assert (pounds(None), pounds(500, sign=True), pounds(-500, sign=True)) == (
        "", "+£5.00", "-£5.00")


@given(PENCE)
def test_decimal_pounds_reads_back_exactly(pence):
    text = decimal_pounds(pence)
    back = parse_pounds(text.lstrip("-"))
    assert (-back if text.startswith("-") else back) == pence


@given(PENCE)
def test_the_shown_and_plain_forms_hold_the_same_amount(pence):
    assert pounds(pence).replace("£", "").replace(",", "") == decimal_pounds(pence)


@given(st.integers(min_value=0, max_value=10**15))
def test_the_interchange_writes_the_plain_form(pence):
    assert format_pounds(pence) == decimal_pounds(pence)
