"""Repayment agreements towards the arrears."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import AGREEMENT_KINDS, AGREEMENT_STATUSES, FREQUENCIES, choices


class Agreement(models.Model):
    """A repayment agreement towards the arrears, paid on top of the charge."""

    agreement_ref = models.CharField(max_length=50, unique=True)
    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="agreements")
    kind = models.CharField(max_length=20, choices=choices(AGREEMENT_KINDS))
    start_date = models.DateField()
    starting_balance = models.BigIntegerField(help_text="pence")
    instalment = models.BigIntegerField(help_text="pence per period")
    frequency = models.CharField(max_length=20, choices=choices(FREQUENCIES))
    status = models.CharField(max_length=20, choices=choices(AGREEMENT_STATUSES))
    # A first payment due on the start date, on top of the instalments. POLICY.md §4 monitors
    # B − n × I only, so the engine does not check it; the plan's end date and terms count it.
    lump_sum = models.BigIntegerField(null=True, blank=True, help_text="pence")
    note = models.TextField(blank=True, help_text="why it was made on these terms")
    end_date = models.DateField(null=True, blank=True, help_text="cancelled or completed on")
    end_reason = models.TextField(blank=True)
    # The tables kept the names they had in the ledger app, so moving the model moved no data.
    history = HistoricalRecords(table_name="ledger_historicalagreement")

    class Meta:
        db_table = "ledger_agreement"

    def __str__(self) -> str:
        return self.agreement_ref


IE_STATUSES = {"draft": "Draft", "completed": "Completed"}


class IncomeExpenditure(models.Model):
    """A household's income and expenditure, shaped like the Standard Financial Statement
    (agreements/sfs.py): a draft while the officer works on it, then completed, dated and kept
    on the account for good (the history keeps every change)."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="statements")
    status = models.CharField(max_length=10, choices=IE_STATUSES.items(), default="draft")
    completed_date = models.DateField(null=True, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    adults = models.PositiveSmallIntegerField(default=1)
    children = models.PositiveSmallIntegerField(default=0)
    vehicles = models.PositiveSmallIntegerField(default=0)
    # Line key (sfs.LINES) -> monthly pence; lines not given are absent.
    amounts = models.JSONField(default=dict, blank=True)
    note = models.TextField(blank=True)
    # The guideline table the flags were judged against when it was completed.
    guideline_table = models.ForeignKey("GuidelineTable", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            # One draft per tenancy at a time: opening the form again carries on with it.
            models.UniqueConstraint(fields=["tenancy"], condition=models.Q(status="draft"),
                                    name="agreements_one_draft_ie_per_tenancy"),
        ]

    def __str__(self) -> str:
        return f"I&E {self.pk} ({self.tenancy_id})"


class GuidelineTable(models.Model):
    """A dated table of spending guidelines the landlord loads (the SFS figures are licensed:
    the app ships only an EXAMPLE table, marked as one)."""

    name = models.CharField(max_length=100)
    effective_from = models.DateField(unique=True)
    is_example = models.BooleanField(default=False)
    note = models.TextField(blank=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} (from {self.effective_from})"


class GuidelineFigure(models.Model):
    """One monthly guideline: a flexible-cost category for a household of so many adults and
    children (the nearest smaller household applies when there is no exact row)."""

    table = models.ForeignKey(GuidelineTable, on_delete=models.CASCADE, related_name="figures")
    category = models.CharField(max_length=20)
    adults = models.PositiveSmallIntegerField()
    children = models.PositiveSmallIntegerField()
    monthly = models.BigIntegerField(help_text="pence")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["table", "category", "adults", "children"],
                                               name="agreements_one_guideline_per_household")]

    def __str__(self) -> str:
        return f"{self.category} {self.adults}+{self.children}"


REFERRAL_KINDS = {
    "money_advice": "Money advice",
    "benefits_advice": "Benefits advice",
    "tenancy_sustainment": "Tenancy sustainment",
    "safeguarding": "Safeguarding",
    "housing_options": "Housing Options or homelessness prevention",
    "mental_health": "Mental-health support",
}
# Referrals that record the ladder's `money_advice_referral` (POLICY.md §8).
MONEY_ADVICE_KINDS = ("money_advice", "benefits_advice")
REFERRAL_OUTCOMES = {
    "engaged": "Tenant engaged with the service",
    "declined": "Tenant declined",
    "no_contact": "The service could not reach the tenant",
    "not_accepted": "The service did not accept the referral",
    "closed": "Support finished",
}


class Agency(models.Model):
    """An organisation the landlord refers tenants to (the landlord keeps the list)."""

    name = models.CharField(max_length=200, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    """A referral of the household to support, with the tenant's consent and its outcome."""

    tenancy = models.ForeignKey(Tenancy, on_delete=models.PROTECT, related_name="referrals")
    kind = models.CharField(max_length=30, choices=REFERRAL_KINDS.items())
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="referrals")
    referred_date = models.DateField()
    consent = models.BooleanField(help_text="the tenant agreed to the referral")
    note = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=REFERRAL_OUTCOMES.items(), blank=True)
    outcome_date = models.DateField(null=True, blank=True)
    officer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.kind} referral {self.pk}"
