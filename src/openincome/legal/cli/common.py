"""What the legal commands share: finding the user who acts, and pounds as integer pence."""

from __future__ import annotations

import argparse

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from openincome.interchange.schema import parse_pounds
from openincome.ledger.cli_args import code
from openincome.ledger.limits import amount_problem, printable


def pence(value: str) -> int:
    """An argparse type for pounds (5.00) as integer pence, or exit 2."""
    try:
        amount = parse_pounds(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{printable(value)}' is not an amount in pounds: use, for example, 5.00") from None
    if problem := amount_problem(amount):
        raise argparse.ArgumentTypeError(problem)
    return amount


def acting_user(username: str, permission: str, may_not: str):
    """The active user `username` holding `permission`, or exit 2 with nothing saved
    (`may_not` says what they may not do: "record court steps")."""
    account = get_user_model().objects.filter(username=username, is_active=True).first()
    if account is None:
        raise CommandError(f"no active user '{username}'", returncode=2)
    if not account.has_perm(permission):
        raise CommandError(f"nothing saved: {username} may not {may_not}", returncode=2)
    return account


def add_user_option(parser: argparse.ArgumentParser, who: str) -> None:
    """--user USERNAME, required: who records the step."""
    parser.add_argument("--user", required=True, type=code, metavar="USERNAME", help=who)
