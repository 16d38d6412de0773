"""Money crosses the interchange as pounds text and integer pence, never floats."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openincome.interchange.schema import format_expr, format_pounds, parse_pounds
from openincome.interchange.validate import money_expr

PENCE = st.integers(min_value=0, max_value=10**17 - 1)


@given(PENCE)
def test_pence_to_pounds_to_pence_is_exact(pence):
    text = format_pounds(pence)
    assert parse_pounds(text) == pence
    assert text == f"{pence // 100}.{pence % 100:02d}"


@given(st.lists(PENCE, min_size=1, max_size=50))
def test_vectorised_parse_and_format_agree_with_the_scalar_ones(values):
    texts = [format_pounds(p) for p in values]
    frame = pl.DataFrame({"t": texts, "p": values})
    got = frame.select(
        money_expr(pl.col("t")).alias("parsed"), format_expr("money", pl.col("p")).alias("text")
    )
    assert got["parsed"].to_list() == values
    assert got["text"].to_list() == texts


@given(st.from_regex(r"\A[0-9]{1,15}(\.[0-9]{1,2})?\Z"))
def test_any_valid_text_parses_to_the_same_pence_both_ways(text):
    pence = parse_pounds(text)
    assert pl.select(money_expr(pl.lit(text))).item() == pence
    assert parse_pounds(format_pounds(pence)) == pence


@pytest.mark.parametrize("text", ["-1.00", "1.234", "£1.00", "1,000.00", "1e3", ".5", "1.", ""])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_pounds(text)
    assert pl.select(money_expr(pl.lit(text))).item() is None


def test_digits_of_other_scripts_and_trailing_newlines_are_refused():
    for text in ["١٢.٥٠", "12.00\n"]:
        with pytest.raises(ValueError):
            parse_pounds(text)
        assert pl.select(money_expr(pl.lit(text))).item() is None
