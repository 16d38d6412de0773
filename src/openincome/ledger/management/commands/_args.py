"""Argument types shared by the commands."""

import argparse
import datetime


def iso_date(value: str) -> datetime.date:
    """An argparse type for YYYY-MM-DD dates with a clear message."""
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{value}' is not a date: use YYYY-MM-DD, for example 2026-11-23"
        ) from None
