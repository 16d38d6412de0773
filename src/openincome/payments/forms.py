"""The payments pages' forms: upload a file, allocate from suspense, resolve a held payment."""

from __future__ import annotations

from django import forms

from .models import BankCsvMapping
from .parsers import REGISTRY, SOURCE_NAMES

MAX_UPLOAD = 100 * 1024 * 1024  # 100 MB: a 200,000-row allpay file is about 10 MB


class UploadForm(forms.Form):
    """Which source the file comes from, the mapping for a bank CSV, and the file."""

    source = forms.ChoiceField(
        label="Where is the file from?", widget=forms.RadioSelect,
        choices=[(name, REGISTRY[name].label.capitalize()) for name in SOURCE_NAMES],
        error_messages={"required": "Select where the file is from"})
    mapping = forms.ModelChoiceField(
        queryset=BankCsvMapping.objects.order_by("name"), required=False,
        label="Bank statement column mapping",
        help_text="Only for a bank statement CSV: which columns hold the date, amount and "
        "reference (saved once with `openincome payments mapping`).",
        empty_label="Choose a mapping")
    file = forms.FileField(label="Payment file", error_messages={
        "required": "Choose the payment file to upload",
        "empty": "The file you chose is empty"})

    def clean_file(self):
        """A file of sensible size."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file must be smaller than 100 MB")
        return upload

    def clean(self):
        """A bank statement CSV needs its mapping."""
        data = super().clean()
        if data.get("source") == "bank-csv" and not data.get("mapping"):
            self.add_error("mapping", "Choose the column mapping of your bank statement")
        return data


class AllocateForm(forms.Form):
    """The tenancy a suspense payment belongs to, and why."""

    tenancy_ref = forms.CharField(widget=forms.HiddenInput, error_messages={
        "required": "Choose the tenancy the payment belongs to"})
    note = forms.CharField(label="Why this tenancy", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="For example, the tenant rang with the receipt.")


class ResolveForm(forms.Form):
    """Finance's decision on a held payment."""

    decision = forms.ChoiceField(
        label="What should happen to this payment?", widget=forms.RadioSelect,
        choices=[("confirm", "It is a separate payment: post it"),
                 ("reject", "It is a duplicate: do not post it")],
        error_messages={"required": "Select whether to post the payment or not"})
    note = forms.CharField(label="Reason", required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Required when the payment is not posted.")

    def clean(self):
        """A rejection says why."""
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("note") or "").strip():
            self.add_error("note", "Say why the payment is not posted")
        return data


class BacsReportForm(forms.Form):
    """Which Bacs report, and the file."""

    kind = forms.ChoiceField(
        label="Which report is it?", widget=forms.RadioSelect,
        choices=[("arudd", "ARUDD: Direct Debits returned unpaid"),
                 ("addacs", "ADDACS: mandates cancelled or changed by the payer's bank")],
        error_messages={"required": "Select which report it is"})
    file = forms.FileField(label="Report file (XML)", error_messages={
        "required": "Choose the report file to upload",
        "empty": "The file you chose is empty"})

    def clean_file(self):
        """A file of sensible size."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError("The file must be smaller than 100 MB")
        return upload
