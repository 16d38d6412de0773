"""Pence as text, the one way: "£1,234.56" for people, "1234.56" for files and forms.

Money is integer pence everywhere inside; it becomes text only at the edges, through these
two functions (the web pages, the command line, the engine's sentences, the interchange and
the CSV all call them). Pure Python, so the engine may use it too.
"""

from __future__ import annotations


def pounds(pence: int | None, *, sign: bool = False) -> str:
    """£1,234.56 from 123456 pence; a minus sign for negative (credit), "+" too with `sign`;
    "" for None."""
    if pence is None:
        return ""
    whole, part = divmod(abs(int(pence)), 100)
    text = f"£{whole:,}.{part:02d}"
    if pence < 0:
        return f"-{text}"
    return f"+{text}" if sign and pence > 0 else text


def decimal_pounds(pence: int) -> str:
    """Pounds with two decimals and no symbol or separators, as files and form boxes hold
    them: 123456 -> "1234.56", -5 -> "-0.05"."""
    whole, part = divmod(abs(int(pence)), 100)
    return f"{'-' if pence < 0 else ''}{whole}.{part:02d}"
