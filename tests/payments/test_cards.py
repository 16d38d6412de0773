"""Card payments through the PaymentProvider interface: the recording fake approves, or
declines amounts ending in 99p; an approved payment is posted, a declined one is kept."""

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openincome.audit.models import AuditEvent
from openincome.ledger.models import Tenancy, Transaction
from openincome.payments import actions
from openincome.payments.cards import RecordingProvider
from openincome.payments.models import CardPayment

ON = datetime.date(2026, 4, 2)


def test_an_approved_card_payment_is_posted_to_the_account(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    card = actions.take_card_payment(tenancy, 5000, "officer", on=ON)
    posted = Transaction.objects.get(transaction_ref=card.transaction_ref)
    assert (posted.type, posted.amount, posted.date, posted.tenancy_id) == (
        "payment_card", -5000, ON, tenancy.pk)
    assert RecordingProvider.taken[-1]["reference"] == tenancy.payment_reference
    assert AuditEvent.objects.filter(action="card_payment_approved").count() == 1


def test_a_declined_card_is_kept_and_posts_nothing(landlord):
    tenancy = Tenancy.objects.get(tenancy_ref="EX-0001")
    before = Transaction.objects.count()
    with pytest.raises(actions.CardDeclined, match="declined"):
        actions.take_card_payment(tenancy, 5099, "officer", on=ON)
    assert Transaction.objects.count() == before
    assert CardPayment.objects.get().status == "declined"
    assert AuditEvent.objects.filter(action="card_payment_declined").count() == 1


@pytest.mark.parametrize("amount", [0, -100, actions.CARD_LIMIT + 1])
def test_an_amount_out_of_range_asks_nothing_of_the_provider(landlord, amount):
    taken = len(RecordingProvider.taken)
    with pytest.raises(ValueError, match="more than £0.00"):
        actions.take_card_payment(Tenancy.objects.get(tenancy_ref="EX-0001"), amount,
                                  "officer", on=ON)
    assert len(RecordingProvider.taken) == taken and not CardPayment.objects.exists()


@settings(max_examples=50, deadline=None)
@given(st.integers(min_value=1, max_value=actions.CARD_LIMIT))
def test_the_fake_declines_exactly_the_amounts_ending_in_99p(amount):
    result = RecordingProvider().take(amount=amount, reference="R", description="d")
    assert result.approved == (amount % 100 != 99)
