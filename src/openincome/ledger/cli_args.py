"""Argument types every command uses: dates and references checked as every edge checks them.

Pure (argparse and ledger.limits only) and at the bottom of the layers, so the commands of
every app import it from here.

A bad value makes argparse exit with code 2 and a message naming the argument; the value is
shown with control characters escaped, never raw on the terminal.
"""

import argparse
import datetime

from openincome.ledger.limits import code_problem, date_problem, printable, ref_problem


def iso_date(value: str) -> datetime.date:
    """An argparse type for YYYY-MM-DD dates from 1900 to 2199, with a clear message."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{printable(value)}' is not a date: use YYYY-MM-DD, for example 2026-11-23"
        ) from None
    if problem := date_problem(day):
        raise argparse.ArgumentTypeError(f"{value} {problem}")
    return day


def ref(value: str) -> str:
    """An argparse type for a reference (tenancy, property...): REF_PATTERN or exit 2."""
    if problem := ref_problem(value):
        raise argparse.ArgumentTypeError(f"'{printable(value)}' {problem}")
    return value


def code(value: str) -> str:
    """An argparse type for a username or patch code: a reference that is not reserved."""
    if problem := code_problem(value):
        raise argparse.ArgumentTypeError(f"'{printable(value)}' {problem}")
    return value
