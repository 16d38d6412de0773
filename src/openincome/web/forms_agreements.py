"""Forms for agreements: the income and expenditure statement, making and cancelling a plan.
Each validates fully before anything is saved; money is typed in pounds and kept as pence."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from openincome.agreements.models import REFERRAL_KINDS, REFERRAL_OUTCOMES, Agency
from openincome.agreements.sfs import SECTIONS
from openincome.ledger.vocab import FREQUENCIES, labelled

from .fields import GovDateField
from .forms import pounds_to_pence


def _count(label: str, noun: str, minimum: int, initial: int) -> forms.IntegerField:
    """A small whole number box (people, vehicles) with GOV.UK messages."""
    return forms.IntegerField(
        label=label, min_value=minimum, max_value=20, initial=initial,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-2", "inputmode": "numeric"}),
        error_messages={"required": f"Enter how many {noun}" + (", or 0" if not minimum else ""),
                        "invalid": f"{noun.capitalize()} must be a whole number",
                        "min_value": f"{noun.capitalize()} must be {minimum} or more",
                        "max_value": f"{noun.capitalize()} must be 20 or fewer"})


class StatementForm(forms.Form):
    """The household and one monthly amount per SFS line (agreements/sfs.py)."""

    adults = _count("Adults in the household", "adults", 1, 1)
    children = _count("Children in the household", "children", 0, 0)
    vehicles = _count("Vehicles", "vehicles", 0, 0)
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Anything the figures do not show. No bank or medical "
                           "details.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for _, _, lines in SECTIONS:
            for key, label in lines:
                self.fields[key] = forms.CharField(
                    label=label, required=False, max_length=14,
                    widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                  "inputmode": "decimal"}))

    def sections(self):
        """(heading, [bound field]) per SFS section, for the template."""
        return [(heading, [self[key] for key, _ in lines]) for _, heading, lines in SECTIONS]

    def clean(self):
        data = super().clean()
        for _, _, lines in SECTIONS:
            for key, _ in lines:
                if key in self.errors:
                    continue
                try:
                    data[key] = pounds_to_pence(data.get(key) or "", example="250.00") or 0
                except forms.ValidationError as exc:
                    self.add_error(key, f"{self.fields[key].label}: {exc.messages[0].lower()}")
        return data

    def amounts(self) -> dict[str, int]:
        """Line key -> monthly pence (valid forms only)."""
        return {key: self.cleaned_data[key] for _, _, lines in SECTIONS for key, _ in lines
                if self.cleaned_data.get(key)}


class AgreementForm(forms.Form):
    """The terms of a new agreement: proposed from the statement, or the officer's own with a
    reason."""

    instalment = forms.CharField(label="Instalment towards the arrears, in pounds", max_length=14,
                                 help_text="Paid each period on top of the rent. For example, "
                                 "20.00",
                                 widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                               "inputmode": "decimal"}),
                                 error_messages={"required": "Enter the instalment"})
    frequency = forms.ChoiceField(label="How often", choices=labelled(FREQUENCIES),
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Select how often they will pay"})
    start = GovDateField(label="First instalment on",
                         error_messages={"required": "Enter the date of the first instalment"})
    starting_balance = forms.CharField(label="Arrears to repay, in pounds", max_length=14,
                                       help_text="The arrears today unless agreed otherwise.",
                                       widget=forms.TextInput(
                                           attrs={"class": "govuk-input--width-10",
                                                  "inputmode": "decimal"}),
                                       error_messages={"required": "Enter the arrears to repay"})
    lump_sum = forms.CharField(label="First lump sum, in pounds", required=False, max_length=14,
                               help_text="Paid on the start date, if agreed.",
                               widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                             "inputmode": "decimal"}))
    reason = forms.CharField(label="Reason", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Needed when the terms differ from the proposal, run past "
                             "the policy's term, or replace a live agreement.")

    def clean_instalment(self) -> int | None:
        """Pounds to pence; the instalment must be more than nothing."""
        pence = pounds_to_pence(self.cleaned_data["instalment"], required=True, example="20.00")
        if not pence:
            raise forms.ValidationError("The instalment must be more than £0.00")
        return pence

    def clean_starting_balance(self) -> int | None:
        """Pounds to pence."""
        return pounds_to_pence(self.cleaned_data["starting_balance"], required=True,
                               example="600.00")

    def clean_lump_sum(self) -> int | None:
        """Pounds to pence, or none."""
        return pounds_to_pence(self.cleaned_data["lump_sum"], example="50.00") or None


class CancelAgreementForm(forms.Form):
    """Why the agreement ends."""

    reason = forms.CharField(label="Why is the agreement cancelled?", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": "Say why the agreement is cancelled"})


class ReferralForm(forms.Form):
    """A referral to support: what for, to whom, when, and the tenant's consent."""

    kind = forms.ChoiceField(label="What is the referral for?", widget=forms.RadioSelect,
                             choices=list(REFERRAL_KINDS.items()),
                             error_messages={"required": "Select what the referral is for"})
    agency = forms.ModelChoiceField(label="Agency", queryset=Agency.objects.none(),
                                    empty_label="Select",
                                    error_messages={"required": "Select the agency",
                                                    "invalid_choice": "Select the agency"})
    referred_date = GovDateField(label="Date referred",
                                 error_messages={"required": "Enter the date of the referral"})
    consent = forms.ChoiceField(label="Did the tenant agree to the referral?",
                                widget=forms.RadioSelect,
                                choices=[("yes", "Yes"), ("no", "No (safeguarding only)")],
                                error_messages={"required": "Say whether the tenant agreed"})
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("referred_date") and data["referred_date"] > timezone.localdate():
            self.add_error("referred_date", "The date must be today or in the past")
        if data.get("consent") == "no" and data.get("kind") != "safeguarding":
            self.add_error("consent", "Only a safeguarding referral may be made without the "
                           "tenant's agreement")
        return data


class ReferralOutcomeForm(forms.Form):
    """How a referral turned out."""

    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=list(REFERRAL_OUTCOMES.items()),
                                error_messages={"required": "Select the outcome"})
    outcome_date = GovDateField(label="Date of the outcome",
                                error_messages={"required": "Enter the date of the outcome"})

    def clean_outcome_date(self):
        """Not in the future."""
        value = self.cleaned_data["outcome_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError("The date must be today or in the past")
        return value
