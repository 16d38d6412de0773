"""Forms of the court stage (the legal tab): each validates its fields; the action checks the rest
(order of steps, dates against the case) and its refusal is shown on the form."""

from __future__ import annotations

from django import forms

from openincome.ledger.vocab import FREQUENCIES, label
from openincome.legal.actions_court import OUTCOMES

from .fields import GovDateField
from .forms import pounds_to_pence

NOTE = {"label": "Note", "required": False, "max_length": 2000,
        "widget": forms.Textarea(attrs={"rows": 3})}


class HearingForm(forms.Form):
    """A hearing listed (or restored)."""

    hearing_date = GovDateField(label="Hearing date",
                                error_messages={"required": "Enter the hearing date"})
    court = forms.CharField(label="Court", max_length=200,
                            help_text="For example, County Court at Exeter",
                            error_messages={"required": "Enter the court"})
    place = forms.CharField(label="Where in the court", max_length=300,
                            required=False, help_text="Address, room or hearing time")
    note = forms.CharField(**NOTE)


class PrepareForm(forms.Form):
    """The officer confirms the hearing duties are to be done now."""

    confirm = forms.BooleanField(
        label="Send the notice of hearing to the tenants and prepare the hearing pack",
        error_messages={"required": "Confirm you want to prepare for the hearing"})


class OutcomeForm(forms.Form):
    """What the court decided, with the terms an order carries."""

    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=[(k, o.label) for k, o in OUTCOMES.items()],
                                error_messages={"required": "Select the outcome"})
    outcome_date = GovDateField(label="Date of the decision",
                                error_messages={"required": "Enter the date of the decision"})
    instalment = forms.CharField(label="Payment towards the arrears, in pounds (orders and "
                                 "adjournments on terms)", required=False, max_length=14,
                                 help_text="On top of the rent. For example, 5.00")
    frequency = forms.ChoiceField(label="How often (orders and adjournments on terms)",
                                  required=False,
                                  choices=[("", "Not given")] + [(f, label(f))
                                                                 for f in FREQUENCIES])
    possession_date = GovDateField(label="Possession date (outright order, or a postponed "
                                   "order with its date)", required=False)
    next_hearing = GovDateField(label="New hearing date (adjourned to a new date)",
                                required=False)
    note = forms.CharField(**NOTE)

    def clean_instalment(self) -> int | None:
        """Pounds to pence."""
        return pounds_to_pence(self.cleaned_data.get("instalment") or "", example="5.00")


class PossessionDateForm(forms.Form):
    """The court fixed a postponed order's possession date."""

    possession_date = GovDateField(label="Possession date",
                                   error_messages={"required": "Enter the possession date"})
    fixed_on = GovDateField(label="Date the court fixed it",
                            error_messages={"required": "Enter the date the court fixed it"})
    note = forms.CharField(**NOTE)


class N244Form(forms.Form):
    """A tenant's application to the court."""

    received = GovDateField(label="Date received", error_messages={
        "required": "Enter the date the application was received"})
    hearing_date = GovDateField(label="Hearing date of the application (optional)",
                                required=False)
    note = forms.CharField(label="What the tenant applied for", max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Say what the tenant applied for"})


class WarrantForm(forms.Form):
    """The warrant of possession issued."""

    issued = GovDateField(label="Date the warrant was issued",
                          error_messages={"required": "Enter the date the warrant was issued"})
    note = forms.CharField(**NOTE)


class EvictionDateForm(forms.Form):
    """The bailiffs' appointment."""

    eviction_date = GovDateField(label="Eviction date",
                                 error_messages={"required": "Enter the eviction date"})
    note = forms.CharField(**NOTE)


class EvictedForm(forms.Form):
    """The eviction took place."""

    evicted_on = GovDateField(label="Date of the eviction",
                              error_messages={"required": "Enter the date of the eviction"})
    note = forms.CharField(**NOTE)


class ExtensionForm(forms.Form):
    """The s125A notice extending an introductory tenancy's trial."""

    served = GovDateField(label="Date the notice was served",
                          error_messages={"required": "Enter the date the notice was served"})
    reason = forms.CharField(label="Reasons for extending the trial (printed on the notice)",
                             max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Give the reasons"})
