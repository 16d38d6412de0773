"""Card payments taken during a call, through a `PaymentProvider`: Open Income sends the amount
and a reference, the provider takes the card (its own page or the phone keypad; no card
number ever reaches Open Income) and answers approved or declined with its own reference.

- `RecordingProvider` ("recording", the default: the demo and the tests) approves every
  amount except those ending in 99p, which it declines, and keeps what it was asked in
  memory (`taken`), so a test can see each request.
A real provider (GOV.UK Pay, a bank's gateway) implements the same one method, chosen by
the PAYMENT_PROVIDER setting.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class CardResult:
    """The provider's answer: approved or not, its reference, and its message."""

    approved: bool
    provider_ref: str
    message: str = ""


class PaymentProvider(Protocol):
    """Takes one card payment of `amount` pence for a payment reference."""

    name: str

    def take(self, *, amount: int, reference: str, description: str) -> CardResult:
        """Take the payment; the card details go to the provider, never to us."""


class RecordingProvider:
    """A fake provider for the demo and tests: amounts ending in 99p are declined."""

    name = "recording"
    taken: list[dict] = []  # shared by every instance, as a real provider's records would be

    def take(self, *, amount: int, reference: str, description: str) -> CardResult:
        """Approve (or, for an amount ending in 99p, decline) and remember the request."""
        ref = f"REC-{uuid.uuid4().hex[:12].upper()}"
        approved = amount % 100 != 99
        self.taken.append({"amount": amount, "reference": reference,
                           "description": description, "provider_ref": ref,
                           "approved": approved})
        return CardResult(approved, ref, "" if approved else "The card was declined")


def get_provider() -> PaymentProvider:
    """The provider the PAYMENT_PROVIDER setting names."""
    name = getattr(settings, "PAYMENT_PROVIDER", "recording")
    if name == "recording":
        return RecordingProvider()
    raise ImproperlyConfigured(f"PAYMENT_PROVIDER must be 'recording', not {name!r}")
