"""Benefit claims towards the rent."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openincome.common.appendonly import AppendOnlyModel
from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import BENEFIT_STATUSES, BENEFITS, FREQUENCIES, choices


class BenefitClaim(models.Model):
    """A Housing Benefit or Universal Credit claim; its status is the latest known."""

    claim_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="benefit_claims")
    benefit = models.CharField(max_length=5, choices=choices(BENEFITS))
    status = models.CharField(max_length=20, choices=choices(BENEFIT_STATUSES))
    status_date = models.DateField()
    direct_to_landlord = models.BooleanField(null=True, blank=True)
    expected_amount = models.BigIntegerField(null=True, blank=True, help_text="pence per cycle")
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES), blank=True)
    # The tables kept the names they had in the ledger app, so moving the model moved no data
    # (the engine reads the history too: the status known at a date).
    history = HistoricalRecords(table_name="ledger_historicalbenefitclaim")

    class Meta:
        db_table = "ledger_benefitclaim"

    def __str__(self) -> str:
        return self.claim_ref


class ClaimEvent(AppendOnlyModel):
    """One dated step in a claim's story: its status from `date`, with the dates that matter
    (claim made, decision, entitlement start, expected first payment), who recorded it and why.

    Append-only: a mistake is put right by a later event, so the story stays as it was told.
    """

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT, related_name="events")
    status = models.CharField(max_length=20, choices=choices(BENEFIT_STATUSES))
    date = models.DateField(help_text="the day the claim took this status")
    claim_made = models.DateField(null=True, blank=True)
    decision_date = models.DateField(null=True, blank=True)
    entitlement_start = models.DateField(null=True, blank=True)
    expected_first_payment = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        indexes = [models.Index(fields=["claim", "date"], name="claimevent_claim_date")]

    def __str__(self) -> str:
        return f"{self.claim.claim_ref} {self.status} {self.date}"


def _user_link() -> models.ForeignKey:
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")


class Verification(models.Model):
    """A Universal Credit housing-cost verification request from DWP: a task until answered
    (by its due date)."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT,
                              related_name="verifications")
    received_date = models.DateField()
    due_date = models.DateField()
    answered_date = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True, help_text="what we told DWP")
    note = models.TextField(blank=True)
    recorded_by = _user_link()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        # One request a claim a day (the interchange's natural key).
        constraints = [models.UniqueConstraint(fields=["claim", "received_date"],
                                               name="verification_unique_received")]

    def __str__(self) -> str:
        return f"{self.claim.claim_ref} verification due {self.due_date}"


PAYMENT_REQUEST_KINDS = {"apa": "Managed payment (APA)",
                         "tpd": "Third-party deduction for arrears"}


class PaymentRequest(models.Model):
    """A managed payment (APA) or third-party deduction for arrears (TPD) asked of DWP, with
    the date of each step. "In payment" is read from the ledger: the first uc_direct (APA)
    or tpd (deduction) credit on or after the request."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT,
                              related_name="payment_requests")
    kind = models.CharField(max_length=3, choices=list(PAYMENT_REQUEST_KINDS.items()))
    requested_date = models.DateField()
    accepted_date = models.DateField(null=True, blank=True)
    refused_date = models.DateField(null=True, blank=True)
    ended_date = models.DateField(null=True, blank=True)
    amount = models.BigIntegerField(null=True, blank=True, help_text="pence a month (TPD)")
    note = models.TextField(blank=True)
    recorded_by = _user_link()
    history = HistoricalRecords()

    class Meta:
        ordering = ["requested_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["claim", "kind", "requested_date"],
                                               name="payment_request_unique_requested")]

    def __str__(self) -> str:
        return f"{self.claim.claim_ref} {self.kind} {self.requested_date}"


class UCAdvance(models.Model):
    """An advance of Universal Credit taken while waiting for the first payment, repaid from
    later payments."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT, related_name="advances")
    date = models.DateField()
    amount = models.BigIntegerField(help_text="pence")
    repayment_months = models.PositiveSmallIntegerField(default=24)
    note = models.TextField(blank=True)
    recorded_by = _user_link()

    class Meta:
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.claim.claim_ref} advance {self.date}"



class ClaimChase(AppendOnlyModel):
    """A chase of a claim (the council's HB team, DWP) and when to follow it up."""

    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT, related_name="chases")
    date = models.DateField()
    follow_up_date = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    recorded_by = _user_link()

    class Meta:
        ordering = ["date", "pk"]


DHP_DECISIONS = {"award": "Awarded", "refusal": "Refused"}


class DHPApplication(models.Model):
    """A Discretionary Housing Payment application to the council, and its decision."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="dhp_applications")
    applied_date = models.DateField()
    amount_asked = models.BigIntegerField(null=True, blank=True, help_text="pence")
    reason = models.TextField()
    evidence = models.TextField(blank=True)
    decision = models.CharField(max_length=10, choices=list(DHP_DECISIONS.items()), blank=True)
    decision_date = models.DateField(null=True, blank=True)
    award_amount = models.BigIntegerField(null=True, blank=True, help_text="pence")
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    review_requested_date = models.DateField(null=True, blank=True)
    recorded_by = _user_link()
    history = HistoricalRecords()

    class Meta:
        ordering = ["applied_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["tenancy", "applied_date"],
                                               name="dhp_unique_applied")]

    def __str__(self) -> str:
        return f"DHP application {self.applied_date}"



class HBOverpayment(models.Model):
    """A Housing Benefit overpayment the council recovered from the landlord for a period when
    the tenant was blameless: posted to the account as its own debt (`transaction_ref`)."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="hb_overpayments")
    claim = models.ForeignKey(BenefitClaim, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="overpayments")
    recovered_date = models.DateField()
    period_start = models.DateField()
    period_end = models.DateField()
    amount = models.BigIntegerField(help_text="pence")
    transaction_ref = models.CharField(max_length=64, unique=True)
    tenant_position = models.TextField(blank=True)
    recorded_by = _user_link()
    history = HistoricalRecords()

    class Meta:
        ordering = ["recovered_date", "pk"]

    def __str__(self) -> str:
        return self.transaction_ref



CIRCUMSTANCE_KINDS = {"benefit_cap": "Benefit cap",
                      "under_occupancy": "Under-occupancy deduction (spare bedrooms)",
                      "non_dependant": "Non-dependant deduction", "sanction": "Sanction"}


class Circumstance(models.Model):
    """Something that changes what a tenant can pay: a benefit cap, an under-occupancy
    deduction (bedrooms), a non-dependant deduction or a sanction, from a date."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="circumstances")
    kind = models.CharField(max_length=20, choices=list(CIRCUMSTANCE_KINDS.items()))
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    amount = models.BigIntegerField(null=True, blank=True, help_text="pence a month less")
    bedrooms = models.PositiveSmallIntegerField(null=True, blank=True,
                                                help_text="spare bedrooms (under-occupancy)")
    note = models.TextField(blank=True)
    recorded_by = _user_link()
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_date", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} from {self.start_date}"



FRAUD_BODIES = {"council": "The council", "dwp": "DWP"}


class FraudReferral(AppendOnlyModel):
    """A suspected-fraud referral: officers without the finance or manager role see only
    that one was made."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="fraud_referrals")
    referred_to = models.CharField(max_length=10, choices=list(FRAUD_BODIES.items()))
    date = models.DateField()
    detail = models.TextField()
    recorded_by = _user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
