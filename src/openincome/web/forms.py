"""Forms an officer fills in on an account; each validates fully before anything is saved."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.utils import timezone

from openincome.cases.models import CONTACT_CHANNELS, CONTACT_OUTCOMES
from openincome.interchange.schema import parse_pounds
from openincome.ledger.vocab import (
    ACTION_CHANNELS,
    ACTION_CODES,
    BENEFIT_STATUSES,
    CHANNELS,
    FREQUENCIES,
    PAUSE_REASONS,
    labelled,
)

from .fields import GovDateField


def _choices(values, blank: str | None = None):
    items = labelled(values)
    return ([("", blank)] + items) if blank is not None else items


class NotFutureMixin:
    """Dates of things that happened cannot be in the future."""

    def not_future(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            self.add_error(name, "The date must be today or in the past")
        return value


class ContactForm(NotFutureMixin, forms.Form):
    """A contact with the tenant."""

    date = GovDateField(label="Date of contact",
                        error_messages={"required": "Enter the date of the contact"})
    channel = forms.ChoiceField(label="How", choices=_choices(CONTACT_CHANNELS),
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select how you were in contact"})
    direction = forms.ChoiceField(label="Who started it", widget=forms.RadioSelect,
                                  choices=[("outbound", "We contacted the tenant"),
                                           ("inbound", "The tenant contacted us")],
                                  error_messages={"required": "Select who started the contact"})
    outcome = forms.ChoiceField(label="Outcome", choices=_choices(CONTACT_OUTCOMES, "Select"),
                                error_messages={"required": "Select the outcome"})
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000, help_text="What was said or agreed. No bank or "
                           "medical details.")

    def clean(self):
        """Check the date is not in the future."""
        self.not_future("date")
        return self.cleaned_data




class ActionForm(NotFutureMixin, forms.Form):
    """A ladder action of POLICY.md §8."""

    code = forms.ChoiceField(label="What did you do", choices=_choices(ACTION_CODES, "Select"),
                             error_messages={"required": "Select what you did"})
    date = GovDateField(label="Date",
                        error_messages={"required": "Enter the date"})
    channel = forms.ChoiceField(label="Channel", required=False,
                                choices=_choices(ACTION_CHANNELS, "Not applicable"))
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        """Check the date is not in the future."""
        self.not_future("date")
        return self.cleaned_data


class PauseForm(forms.Form):
    """Pause recovery: an officer's pause or a Breathing Space."""

    reason = forms.ChoiceField(label="Reason", choices=_choices(PAUSE_REASONS),
                               widget=forms.RadioSelect,
                               error_messages={"required": "Select the reason for the pause"})
    start_date = GovDateField(label="Start date", help_text="For a Breathing Space, the start "
                              "date on the Insolvency Service notice. For example, 27 3 2026",
                              error_messages={"required": "Enter the start date"})
    end_date = GovDateField(label="Review or end date", required=False,
                            help_text="Leave empty for a mental health crisis Breathing Space or "
                            "a pause until lifted; a standard Breathing Space without one ends "
                            "after 60 days")
    note = forms.CharField(label="Why", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Say why the case is paused"})

    def clean(self):
        """The end cannot come before the start."""
        start, end = self.cleaned_data.get("start_date"), self.cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date must be on or after the start date")
        return self.cleaned_data


class BenefitForm(forms.Form):
    """A Housing Benefit or Universal Credit claim's latest status."""

    benefit = forms.ChoiceField(label="Benefit", choices=[("uc", "Universal Credit"),
                                                          ("hb", "Housing Benefit")],
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select the benefit"})
    claim_ref = forms.CharField(label="Claim reference", max_length=50,
                                error_messages={"required": "Enter the claim reference"})
    status = forms.ChoiceField(label="Status", choices=_choices(BENEFIT_STATUSES, "Select"),
                               error_messages={"required": "Select the claim status"})
    status_date = GovDateField(label="Status date", help_text="When you learned of this status",
                               error_messages={"required": "Enter the status date"})
    direct_to_landlord = forms.ChoiceField(
        label="Paid to us", required=False, widget=forms.RadioSelect,
        choices=[("true", "Yes, paid to the landlord"), ("false", "No, paid to the tenant")])
    expected_amount = forms.CharField(label="Expected amount per payment, in pounds",
                                      required=False, max_length=12,
                                      help_text="For example, 450.00")
    frequency = forms.ChoiceField(label="Paid every", required=False,
                                  choices=_choices(FREQUENCIES, "Not known"))
    apa_requested = forms.BooleanField(label="I have asked DWP for a managed payment (APA)",
                                       required=False)
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def clean_expected_amount(self) -> int | None:
        """Pounds to integer pence, no floats."""
        text = self.cleaned_data["expected_amount"].strip().lstrip("£").replace(",", "")
        if not text:
            return None
        try:
            return parse_pounds(text)
        except ValueError:
            raise forms.ValidationError("Enter the amount in pounds, like 450.00") from None

    def clean_direct_to_landlord(self) -> bool | None:
        """The radio as a boolean (None when not given)."""
        value = self.cleaned_data.get("direct_to_landlord")
        return {"true": True, "false": False}.get(value)


class DetailsForm(forms.Form):
    """A tenant's contact details, language and vulnerability codes."""

    email = forms.EmailField(label="Email", required=False,
                             error_messages={"invalid": "Enter an email address like "
                                                        "name@example.com"})
    mobile = forms.RegexField(label="Mobile", required=False, regex=r"^[0-9 +()-]{7,20}$",
                              error_messages={"invalid": "Enter a phone number, like 07700 900982"})
    phone = forms.RegexField(label="Other phone", required=False, regex=r"^[0-9 +()-]{7,20}$",
                             error_messages={"invalid": "Enter a phone number, like 01632 960001"})
    language = forms.CharField(label="Language", required=False, max_length=50)
    preferred_channel = forms.ChoiceField(label="Preferred way of contact", required=False,
                                          choices=_choices(CHANNELS, "Not recorded"))
    vulnerabilities = forms.CharField(
        label="Vulnerability codes", required=False, max_length=300,
        help_text="Separate codes with semicolons, for example hearing;sight")
    why = forms.CharField(label="Why are you changing this", max_length=500,
                          error_messages={"required": "Say why you are changing the details"})

    def clean_vulnerabilities(self) -> str:
        """Codes are lower-case words joined by semicolons."""
        codes = [c.strip() for c in self.cleaned_data["vulnerabilities"].split(";") if c.strip()]
        bad = [c for c in codes if not re.match(r"^[a-z][a-z0-9_]{1,39}$", c)]
        if bad:
            raise forms.ValidationError("Use lower-case codes such as hearing or sight, "
                                        "separated by semicolons")
        return ";".join(codes)
