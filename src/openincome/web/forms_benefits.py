"""The benefits work forms on an account. Each validates the whole form, then `act` calls one
action in `benefits.actions`; a ValueError from it (dates out of order, ...) becomes the
form's error and nothing is saved."""

from __future__ import annotations

import datetime

from django import forms

from openincome.benefits import actions
from openincome.benefits.models import (
    CIRCUMSTANCE_KINDS,
    FRAUD_BODIES,
    PAYMENT_REQUEST_KINDS,
    DHPApplication,
    HBOverpayment,
    PaymentRequest,
    Verification,
)
from openincome.ledger.models import Tenancy

from .fields import GovDateField
from .forms import pounds_to_pence


def _note(label: str = "Note", required: bool = False) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": f"Enter the {label.lower()}"})


def _date(label: str, required: bool = True, **kwargs) -> GovDateField:
    return GovDateField(label=label, required=required,
                        error_messages={"required": f"Enter the {label.lower()}"}, **kwargs)


def _pounds(label: str, required: bool = False) -> forms.CharField:
    return forms.CharField(label=f"{label}, in pounds", required=required, max_length=14,
                           help_text="For example, 150.00",
                           error_messages={"required": f"Enter the {label.lower()}"})


class BenefitWorkForm(forms.Form):
    """A form about one tenancy's benefits; `act` does it."""

    heading = ""
    submit = "Save"
    done = "Saved."
    intro = ""
    money_fields: tuple[str, ...] = ()
    # The field a ValueError from the action is shown against.
    error_field = ""

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        self.tenancy = tenancy
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        for name in self.money_fields:
            if isinstance(data.get(name), str):
                try:
                    data[name] = pounds_to_pence(data[name],
                                                 required=self.fields[name].required,
                                                 example="150.00")
                except forms.ValidationError as bad:
                    self.add_error(name, bad)
        return data

    def act(self, user, as_of: datetime.date):  # pragma: no cover - each form has its own
        raise NotImplementedError


def _claims(tenancy: Tenancy, uc_only: bool = False) -> list[tuple[str, str]]:
    claims = tenancy.benefit_claims.order_by("-status_date")
    if uc_only:
        claims = claims.filter(benefit="uc")
    return [(c.claim_ref, f"{c.get_benefit_display()} {c.claim_ref}") for c in claims]


class _ClaimForm(BenefitWorkForm):
    uc_only = False

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        super().__init__(*args, tenancy=tenancy, **kwargs)
        self.fields["claim_ref"] = forms.ChoiceField(
            label="Claim", choices=_claims(tenancy, self.uc_only),
            error_messages={"required": "Select the claim",
                            "invalid_choice": "Select one of this tenancy's claims"})
        self.order_fields(["claim_ref"])


class VerificationForm(_ClaimForm):
    heading, submit, done = ("Record a verification request", "Save request",
                             "Verification request recorded.")
    intro = "DWP asks us to confirm the rent and service charges for the tenant's claim."
    uc_only = True
    error_field = "due_date"
    received_date = _date("Date received")
    due_date = _date("Date due", help_text="When DWP needs the answer. For example, 27 3 2026")
    note = _note()

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.record_verification(d["claim_ref"], user, received=d["received_date"],
                                           due=d["due_date"], note=d["note"], as_of=as_of)


class VerificationAnswerForm(BenefitWorkForm):
    heading, submit, done = ("Answer a verification request", "Save answer",
                             "Verification answered.")
    error_field = "answered_date"
    request = forms.ChoiceField(label="Request", error_messages={
        "required": "Select the request", "invalid_choice": "Select an open request"})
    answered_date = _date("Date answered")
    answer = _note("What we told DWP", required=True)

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        super().__init__(*args, tenancy=tenancy, **kwargs)
        self.fields["request"].choices = [
            (str(v.pk), f"{v.claim.claim_ref}: received {v.received_date:%-d %b %Y}, "
                        f"due {v.due_date:%-d %b %Y}")
            for v in Verification.objects.filter(claim__tenancy=tenancy,
                                                 answered_date__isnull=True)
            .select_related("claim")]

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.answer_verification(Verification.objects.get(pk=d["request"]), user,
                                           answered=d["answered_date"], answer=d["answer"],
                                           as_of=as_of)


class PaymentRequestForm(_ClaimForm):
    heading, submit, done = ("Request a managed payment or deduction", "Save request",
                             "Request recorded.")
    intro = ("It shows as in payment once the Universal Credit schedule posts the first "
             "payment to the landlord (UC paid direct) or deduction.")
    uc_only = True
    error_field = "requested_date"
    money_fields = ("amount",)
    kind = forms.ChoiceField(label="What was asked", widget=forms.RadioSelect,
                             choices=list(PAYMENT_REQUEST_KINDS.items()),
                             error_messages={"required": "Select what was asked"})
    requested_date = _date("Date requested")
    amount = _pounds("Deduction a month (if known)")
    note = _note()

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.request_payment(d["claim_ref"], user, kind=d["kind"],
                                       requested=d["requested_date"], amount=d["amount"],
                                       note=d["note"], as_of=as_of)


class PaymentRequestStepForm(BenefitWorkForm):
    heading, submit, done = ("Record DWP's answer to a request", "Save", "Request updated.")
    error_field = "date"
    request = forms.ChoiceField(label="Request", error_messages={
        "required": "Select the request", "invalid_choice": "Select one of the requests"})
    step = forms.ChoiceField(label="What happened", widget=forms.RadioSelect, choices=[
        ("accepted", "DWP accepted it"), ("refused", "DWP refused it"),
        ("ended", "The arrangement ended")],
        error_messages={"required": "Select what happened"})
    date = _date("Date")
    note = _note()

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        super().__init__(*args, tenancy=tenancy, **kwargs)
        self.fields["request"].choices = [
            (str(r.pk), f"{r.get_kind_display()}, requested {r.requested_date:%-d %b %Y}")
            for r in PaymentRequest.objects.filter(claim__tenancy=tenancy,
                                                   ended_date__isnull=True)]

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.payment_request_step(PaymentRequest.objects.get(pk=d["request"]), user,
                                            step=d["step"], date=d["date"], note=d["note"],
                                            as_of=as_of)


class AdvanceForm(_ClaimForm):
    heading, submit, done = "Record a UC advance", "Save advance", "Advance recorded."
    uc_only = True
    error_field = "amount"
    money_fields = ("amount",)
    date = _date("Date of the advance")
    amount = _pounds("Amount", required=True)
    repayment_months = forms.IntegerField(label="Repaid over, in months", initial=24,
                                          min_value=1, max_value=60, error_messages={
                                              "required": "Enter the months",
                                              "invalid": "Enter a whole number of months"})
    note = _note()

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.record_advance(d["claim_ref"], user, date=d["date"], amount=d["amount"],
                                      repayment_months=d["repayment_months"], note=d["note"],
                                      as_of=as_of)


class ChaseForm(_ClaimForm):
    heading, submit, done = "Chase a claim", "Save chase", "Chase recorded."
    error_field = "follow_up_date"
    date = _date("Date chased")
    follow_up_date = _date("Follow up on", required=False)
    note = _note("Who was chased and what they said", required=True)

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.chase_claim(d["claim_ref"], user, date=d["date"],
                                   follow_up=d["follow_up_date"], note=d["note"], as_of=as_of)


class DHPApplicationForm(BenefitWorkForm):
    heading, submit, done = ("Record a DHP application", "Save application",
                             "DHP application recorded.")
    error_field = "reason"
    money_fields = ("amount_asked",)
    applied_date = _date("Date applied")
    amount_asked = _pounds("Amount asked")
    reason = _note("Reason", required=True)
    evidence = _note("Evidence sent")

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.apply_dhp(self.tenancy, user, applied=d["applied_date"],
                                 amount_asked=d["amount_asked"], reason=d["reason"],
                                 evidence=d["evidence"], as_of=as_of)


class DHPDecisionForm(BenefitWorkForm):
    heading, submit, done = "Record a DHP decision", "Save decision", "DHP decision recorded."
    intro = ("Tick 'post the award' only when no DHP schedule will bring the payment in, so "
             "it is not counted twice.")
    error_field = "decision"
    money_fields = ("award_amount",)
    application = forms.ChoiceField(label="Application", error_messages={
        "required": "Select the application", "invalid_choice": "Select an application"})
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect, choices=[
        ("award", "Awarded"), ("refusal", "Refused"), ("review", "We asked for a review")],
        error_messages={"required": "Select the decision"})
    date = _date("Date of the decision or review request")
    award_amount = _pounds("Amount awarded")
    period_start = _date("Award period from", required=False)
    period_end = _date("Award period to", required=False)
    post_award = forms.BooleanField(label="Post the award to the account now", required=False)

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        super().__init__(*args, tenancy=tenancy, **kwargs)
        self.fields["application"].choices = [
            (str(a.pk), f"Applied {a.applied_date:%-d %b %Y}"
                        + (f" ({a.get_decision_display().lower()})" if a.decision else ""))
            for a in DHPApplication.objects.filter(tenancy=tenancy)]

    def act(self, user, as_of):
        d = self.cleaned_data
        app = DHPApplication.objects.get(pk=d["application"])
        if d["decision"] == "review":
            return actions.request_dhp_review(app, user, date=d["date"], note="", as_of=as_of)
        return actions.decide_dhp(app, user, decision=d["decision"], date=d["date"],
                                  award_amount=d["award_amount"],
                                  period_start=d["period_start"], period_end=d["period_end"],
                                  post_award=d["post_award"], as_of=as_of)


class OverpaymentForm(BenefitWorkForm):
    heading, submit, done = ("Record an HB overpayment recovered from us", "Post the recovery",
                             "Overpayment recovery posted.")
    intro = ("For a period when the tenant was not to blame: the amount is posted to the "
             "account as a debit and shown as its own debt.")
    error_field = "period_end"
    money_fields = ("amount",)
    recovered_date = _date("Date recovered")
    period_start = _date("Overpaid from")
    period_end = _date("Overpaid to")
    amount = _pounds("Amount recovered", required=True)
    tenant_position = _note("The tenant's position")

    def act(self, user, as_of):
        d = self.cleaned_data
        claim = self.tenancy.benefit_claims.filter(benefit="hb").order_by("-status_date").first()
        return actions.record_hb_overpayment(
            self.tenancy, user, recovered=d["recovered_date"], period_start=d["period_start"],
            period_end=d["period_end"], amount=d["amount"],
            claim_ref=claim.claim_ref if claim else "", tenant_position=d["tenant_position"],
            as_of=as_of)


class TenantPositionForm(BenefitWorkForm):
    heading, submit, done = ("Record the tenant's position on an overpayment", "Save",
                             "Tenant's position recorded.")
    error_field = "position"
    overpayment = forms.ChoiceField(label="Overpayment", error_messages={
        "required": "Select the overpayment", "invalid_choice": "Select an overpayment"})
    position = _note("The tenant's position", required=True)

    def __init__(self, *args, tenancy: Tenancy, **kwargs):
        super().__init__(*args, tenancy=tenancy, **kwargs)
        self.fields["overpayment"].choices = [
            (str(o.pk), f"Recovered {o.recovered_date:%-d %b %Y}")
            for o in HBOverpayment.objects.filter(tenancy=tenancy)]

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.record_tenant_position(HBOverpayment.objects.get(pk=d["overpayment"]),
                                              user, position=d["position"], as_of=as_of)


class CircumstanceForm(BenefitWorkForm):
    heading, submit, done = ("Record a change in circumstances", "Save",
                             "Circumstance recorded.")
    intro = "These are offered in the tenant's income and expenditure statement."
    error_field = "kind"
    money_fields = ("amount",)
    kind = forms.ChoiceField(label="What changed", widget=forms.RadioSelect,
                             choices=list(CIRCUMSTANCE_KINDS.items()),
                             error_messages={"required": "Select what changed"})
    start_date = _date("From")
    end_date = _date("Until", required=False)
    amount = _pounds("Less a month")
    bedrooms = forms.IntegerField(label="Spare bedrooms (under-occupancy)", required=False,
                                  min_value=1, max_value=9,
                                  error_messages={"invalid": "Enter a whole number"})
    note = _note()

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.record_circumstance(self.tenancy, user, kind=d["kind"],
                                           start=d["start_date"], end=d["end_date"],
                                           amount=d["amount"], bedrooms=d["bedrooms"],
                                           note=d["note"], as_of=as_of)


class FraudReferralForm(BenefitWorkForm):
    heading, submit, done = ("Record a suspected-fraud referral", "Save referral",
                             "Referral recorded.")
    intro = ("Only managers and finance see what was referred; others see that a referral "
             "was made.")
    error_field = "detail"
    referred_to = forms.ChoiceField(label="Referred to", widget=forms.RadioSelect,
                                    choices=list(FRAUD_BODIES.items()),
                                    error_messages={"required": "Select who it was referred to"})
    date = _date("Date referred")
    detail = _note("What was referred", required=True)

    def act(self, user, as_of):
        d = self.cleaned_data
        return actions.refer_fraud(self.tenancy, user, referred_to=d["referred_to"],
                                   date=d["date"], detail=d["detail"], as_of=as_of)


# URL slug -> form.
FORMS: dict[str, type[BenefitWorkForm]] = {
    "verification": VerificationForm,
    "verification-answer": VerificationAnswerForm,
    "request": PaymentRequestForm,
    "request-step": PaymentRequestStepForm,
    "advance": AdvanceForm,
    "chase": ChaseForm,
    "dhp": DHPApplicationForm,
    "dhp-decision": DHPDecisionForm,
    "overpayment": OverpaymentForm,
    "overpayment-position": TenantPositionForm,
    "circumstance": CircumstanceForm,
    "fraud": FraudReferralForm,
}
