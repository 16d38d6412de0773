"""Forms an officer fills in on an account; each validates fully before anything is saved."""

from __future__ import annotations

import datetime

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils import timezone

from openincome.cases.actions import RECORDED_ELSEWHERE
from openincome.cases.models import CONTACT_CHANNELS, CONTACT_OUTCOMES, SYSTEM_CONTACT_OUTCOMES
from openincome.interchange.schema import parse_pounds
from openincome.ledger.limits import (
    NOTE_MAX_LENGTH,
    REF_MAX_LENGTH,
    amount_problem,
    ref_problem,
    text_problem,
)
from openincome.ledger.vocab import (
    ACTION_CHANNELS,
    ACTION_CODES,
    BENEFIT_STATUSES,
    CHANNELS,
    FREQUENCIES,
    PAUSE_REASONS,
    VULNERABILITY_LABELS,
    labelled,
)

from .fields import GovDateField

# What a reference, code or username may hold (ledger.limits.REF_PATTERN), in plain English.
REF_CHARACTERS = (
    "letters, numbers, full stops, hyphens and underscores, and start with a letter or number"
)


def ref_validator(label: str):
    """A validator refusing a reference outside REF_PATTERN (its length is max_length's job)."""

    def validate(value: str) -> None:
        if value and ref_problem(value[:REF_MAX_LENGTH]):
            raise forms.ValidationError(f"{label} must only include {REF_CHARACTERS}")

    validate.checks_characters = True  # stricter than the free-text check: one message only
    return validate


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
    outcome = forms.ChoiceField(label="Outcome", choices=_choices(
        [o for o in CONTACT_OUTCOMES if o not in SYSTEM_CONTACT_OUTCOMES], "Select"),
                                error_messages={"required": "Select the outcome"})
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=2000, help_text="What was said or agreed. No bank or "
                           "medical details.")
    callback_date = GovDateField(label="Call back on (optional)", required=False,
                                 help_text="If you agreed to call the tenant back, the date. "
                                 "It shows in your work programme.")

    def clean(self):
        """Check the contact's date is not in the future and a call-back is not before it."""
        contacted = self.not_future("date")
        callback = self.cleaned_data.get("callback_date")
        if callback and contacted and callback < contacted:
            self.add_error("callback_date",
                           "The call back date must be on or after the date of the contact")
        return self.cleaned_data




class ActionForm(NotFutureMixin, forms.Form):
    """A ladder action of POLICY.md §8."""

    code = forms.ChoiceField(label="What did you do",
                             choices=_choices([c for c in ACTION_CODES
                                               if c not in RECORDED_ELSEWHERE], "Select"),
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


class LiftPauseForm(forms.Form):
    """Ending a pause early: the reason is required (it is audited)."""

    why = forms.CharField(label="Why are you lifting the pause", max_length=2000,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          help_text="For example, the debt adviser told us the Breathing Space "
                          "was cancelled",
                          error_messages={"required": "Say why you are lifting the pause"})


class BenefitForm(forms.Form):
    """A Housing Benefit or Universal Credit claim's latest status."""

    benefit = forms.ChoiceField(label="Benefit", choices=[("uc", "Universal Credit"),
                                                          ("hb", "Housing Benefit")],
                                widget=forms.RadioSelect,
                                error_messages={"required": "Select the benefit"})
    claim_ref = forms.CharField(label="Claim reference", max_length=50,
                                validators=[ref_validator("Claim reference")],
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
        return pounds_to_pence(self.cleaned_data["expected_amount"], example="450.00")

    def clean_direct_to_landlord(self) -> bool | None:
        """The radio as a boolean (None when not given)."""
        value = self.cleaned_data.get("direct_to_landlord")
        return {"true": True, "false": False}.get(value)


def pounds_to_pence(text: str, *, required: bool = False, example: str = "45.00") -> int | None:
    """Pounds typed by an officer ("£1,234.50") as integer pence, no floats; a form error
    when it is not an amount or above the limit."""
    text = text.strip().lstrip("£").replace(",", "")
    if not text:
        if required:
            raise forms.ValidationError(f"Enter the amount in pounds, like {example}")
        return None
    try:
        pence = parse_pounds(text)
    except ValueError:
        raise forms.ValidationError(f"Enter the amount in pounds, like {example}") from None
    if amount_problem(pence):
        raise forms.ValidationError("The amount must be £1,000,000.00 or less")
    return pence


class PromiseForm(NotFutureMixin, forms.Form):
    """A promise to pay (POLICY.md §3.10)."""

    amount = forms.CharField(label="Amount promised, in pounds", max_length=14,
                             help_text="For example, 45.00",
                             error_messages={"required": "Enter the amount promised"})
    due_date = GovDateField(label="To be paid by",
                            help_text="The day the tenant said they would pay by. "
                            "For example, 2026-11-27",
                            error_messages={"required": "Enter the date it will be paid by"})
    made_date = GovDateField(label="Date the promise was made",
                             help_text="For example, 2026-11-23",
                             error_messages={"required": "Enter the date the promise was made"})
    note = forms.CharField(label="Note", required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="How they will pay, for example by card on Friday.")

    def clean_amount(self) -> int:
        """Pounds to integer pence, above zero."""
        pence = pounds_to_pence(self.cleaned_data["amount"], required=True)
        if not pence:
            raise forms.ValidationError("The amount must be more than £0.00")
        return pence

    def clean(self):
        """The promise was made today or earlier and falls due on or after that day."""
        made = self.not_future("made_date")
        due = self.cleaned_data.get("due_date")
        if due and made and due < made:
            self.add_error("due_date", "The date to pay by must be on or after the date the "
                           "promise was made")
        return self.cleaned_data


class TrialEndForm(forms.Form):
    """When an introductory or starter tenancy's trial ends (POLICY.md §1)."""

    trial_end_date = GovDateField(
        label="Trial ends on", required=False,
        help_text="Leave empty for the usual 12 months from the start. For example, 2026-10-07")
    why = forms.CharField(label="Why it changes", max_length=2000,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          help_text="For example, the trial was extended by six months after "
                          "a review.",
                          error_messages={"required": "Give the reason for the change"})

    def __init__(self, *args, start_date: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.start_date = start_date

    def clean_trial_end_date(self) -> datetime.date | None:
        """On or after the tenancy's start (the field keeps it within 1900-2199)."""
        value = self.cleaned_data.get("trial_end_date")
        if value and value < self.start_date:
            raise forms.ValidationError("The trial cannot end before the tenancy starts")
        return value


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
    vulnerabilities = forms.MultipleChoiceField(
        label="Vulnerability", required=False, widget=forms.CheckboxSelectMultiple,
        choices=list(VULNERABILITY_LABELS.items()),
        error_messages={"invalid_choice": "Select vulnerabilities from the list"},
        help_text="Tick all that apply. Only record what the tenant has told you or agreed to.")
    vulnerability_note = forms.CharField(
        label="Other vulnerability", required=False, max_length=200,
        help_text="If you ticked Other: what it is, in a few words. No medical details.")
    why = forms.CharField(label="Why are you changing this", max_length=500,
                          error_messages={"required": "Say why you are changing the details"})

    def clean(self):
        """"Other" needs its note, and a note means "other"."""
        data = super().clean()
        codes, note = data.get("vulnerabilities") or [], data.get("vulnerability_note", "")
        if "other" in codes and not note.strip():
            self.add_error("vulnerability_note", "Say what the other vulnerability is")
        elif note.strip() and "other" not in codes:
            data["vulnerabilities"] = [*codes, "other"]
        return data


def guard_free_text(form_classes) -> None:
    """Every text field of these forms refuses control and invisible characters, and is bounded.

    Done once here rather than field by field, so a field added later is covered too.
    """
    for form_class in form_classes:
        for field in form_class.base_fields.values():
            if type(field) is not forms.CharField or isinstance(field.widget, forms.PasswordInput):
                continue  # e-mail, phone and choice fields have stricter rules; passwords any
            if any(getattr(v, "checks_characters", False) for v in field.validators):
                continue
            if field.max_length is None:
                field.max_length = NOTE_MAX_LENGTH
                field.validators.append(MaxLengthValidator(NOTE_MAX_LENGTH))
            field.validators.append(_no_control_characters(field.label or "The text"))


def _no_control_characters(label: str):
    def validate(value: str) -> None:
        if text_problem(value, max_length=len(value)):
            raise forms.ValidationError(f"{label} must not include invisible or control "
                                        "characters")

    return validate


# Keep this last: it covers every form defined above (a test checks every form's fields).
guard_free_text(
    value for value in list(globals().values())
    if isinstance(value, type) and issubclass(value, forms.Form) and value is not forms.Form
)
