"""Forms for the Direct Debit and card payment pages and moving a payment. Each validates
fully before anything is saved; money is typed in pounds and kept as pence."""

from __future__ import annotations

from django import forms

from openincome.ledger.vocab import FREQUENCIES, labelled
from openincome.payments.models import WEEKDAYS

from .fields import GovDateField
from .forms import pounds_to_pence


class MandateForm(forms.Form):
    """A new Direct Debit: the payer's bank account, when it is collected and how much."""

    payer_name = forms.CharField(label="Account holder's name", max_length=18,
                                 help_text="As the bank holds it, up to 18 characters.",
                                 error_messages={"required": "Enter the account holder's name"})
    sort_code = forms.CharField(label="Sort code", max_length=8,
                                help_text="6 digits, for example 30-94-57",
                                widget=forms.TextInput(attrs={
                                    "class": "govuk-input--width-5", "inputmode": "numeric",
                                    "autocomplete": "off", "spellcheck": "false"}),
                                error_messages={"required": "Enter the sort code"})
    account_number = forms.CharField(label="Account number", max_length=10,
                                     help_text="6 to 8 digits",
                                     widget=forms.TextInput(attrs={
                                         "class": "govuk-input--width-10",
                                         "inputmode": "numeric", "autocomplete": "off",
                                         "spellcheck": "false"}),
                                     error_messages={"required": "Enter the account number"})
    frequency = forms.ChoiceField(label="How often", choices=labelled(FREQUENCIES),
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Select how often to collect"})
    weekday = forms.ChoiceField(label="Day of the week (weekly, fortnightly or four-weekly)",
                                required=False,
                                choices=[("", "Choose a day")]
                                + [(str(i), d) for i, d in enumerate(WEEKDAYS)])
    month_day = forms.IntegerField(label="Day of the month (monthly)", required=False,
                                   min_value=1, max_value=28, help_text="1 to 28",
                                   widget=forms.TextInput(attrs={
                                       "class": "govuk-input--width-2", "inputmode": "numeric"}),
                                   error_messages={"invalid": "Enter the day of the month as a "
                                                   "number, 1 to 28",
                                                   "min_value": "The day of the month is 1 to 28",
                                                   "max_value": "The day of the month is 1 to 28"})
    start = GovDateField(label="First collection on or after",
                         help_text="The payer gets advance notice first, so the first "
                         "collection may be later. For example, 27 3 2026",
                         error_messages={"required": "Enter the date of the first collection"})
    how_much = forms.ChoiceField(
        label="How much", widget=forms.RadioSelect,
        choices=[("follow", "The rent and charges plus any agreement instalment (changes "
                  "when they do)"), ("fixed", "A fixed amount")],
        error_messages={"required": "Select how much to collect"})
    amount = forms.CharField(label="Fixed amount per collection, in pounds", required=False,
                             max_length=14, help_text="For example, 98.40",
                             widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                           "inputmode": "decimal"}))

    def clean_sort_code(self) -> str:
        """Six digits, however typed."""
        digits = "".join(c for c in self.cleaned_data["sort_code"] if c not in " -")
        if not (digits.isdigit() and len(digits) == 6):
            raise forms.ValidationError("Enter a valid sort code like 30-94-57")
        return digits

    def clean_account_number(self) -> str:
        """Six to eight digits, however typed."""
        digits = self.cleaned_data["account_number"].replace(" ", "")
        if not (digits.isdigit() and 6 <= len(digits) <= 8):
            raise forms.ValidationError("Enter a valid account number like 00733445")
        return digits

    def clean(self):
        """The day that fits the frequency, and the amount when it is fixed."""
        data = super().clean()
        frequency = data.get("frequency")
        if frequency == "monthly":
            if data.get("month_day") is None and "month_day" not in self.errors:
                self.add_error("month_day", "Enter the day of the month, 1 to 28")
            data["day"] = data.get("month_day")
        elif frequency:
            if not data.get("weekday"):
                self.add_error("weekday", "Choose the day of the week")
            else:
                data["day"] = int(data["weekday"])
        data["pence"] = None
        if data.get("how_much") == "fixed":
            try:
                pence = pounds_to_pence(data.get("amount") or "", required=True,
                                        example="98.40")
            except forms.ValidationError as exc:
                self.add_error("amount", exc)
            else:
                if not pence:
                    self.add_error("amount", "The amount must be more than £0.00")
                data["pence"] = pence
        return data


class CancelMandateForm(forms.Form):
    """Why the Direct Debit ends."""

    why = forms.CharField(label="Why is the Direct Debit cancelled?", max_length=200,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          error_messages={"required": "Say why the Direct Debit is cancelled"})


class CloseTaskForm(forms.Form):
    """What was done about a Direct Debit task."""

    note = forms.CharField(label="What was done", max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": "Say what was done"})


class CardPaymentForm(forms.Form):
    """The amount of a card payment taken during a call."""

    amount = forms.CharField(label="Amount, in pounds", max_length=14,
                             help_text="The card details are taken by the payment provider, "
                             "never typed here. For example, 50.00",
                             widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                           "inputmode": "decimal"}),
                             error_messages={"required": "Enter the amount"})

    def clean_amount(self) -> int:
        """Pounds to pence, more than nothing."""
        pence = pounds_to_pence(self.cleaned_data["amount"], required=True, example="50.00")
        if not pence:
            raise forms.ValidationError("The amount must be more than £0.00")
        return pence


class TransferForm(forms.Form):
    """A misposted payment to move: its ledger reference, the right account and why."""

    transaction_ref = forms.CharField(label="Payment reference in the ledger", max_length=64,
                                      help_text="As the account's transactions show it, for "
                                      "example PAY12-4",
                                      error_messages={"required": "Enter the payment's "
                                                      "reference"})
    to_tenancy = forms.CharField(label="Move it to tenancy", max_length=50,
                                 help_text="The tenancy reference, for example EX-0002",
                                 error_messages={"required": "Enter the tenancy to move it to"})
    why = forms.CharField(label="Why is it moved?", max_length=300,
                          widget=forms.Textarea(attrs={"rows": 3}),
                          error_messages={"required": "Say why the payment is moved"})


class ChangeMandateForm(forms.Form):
    """A new amount for a Direct Debit (fixed from then on), and why; the payer gets notice."""

    amount = forms.CharField(label="New amount per collection, in pounds", max_length=14,
                             help_text="For example, 105.00",
                             widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                           "inputmode": "decimal"}),
                             error_messages={"required": "Enter the new amount"})
    why = forms.CharField(label="Why does it change?", max_length=200,
                          help_text="The payer's advance notice says this.",
                          widget=forms.Textarea(attrs={"rows": 2}),
                          error_messages={"required": "Say why the amount changes"})

    def clean_amount(self) -> int:
        """Pounds to pence, more than nothing."""
        pence = pounds_to_pence(self.cleaned_data["amount"], required=True, example="105.00")
        if not pence:
            raise forms.ValidationError("The amount must be more than £0.00")
        return pence
