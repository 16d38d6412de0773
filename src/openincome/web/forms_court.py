"""Forms of the court stage (the legal tab): each validates its fields; the action checks the rest
(order of steps, dates against the case) and its refusal is shown on the form."""

from __future__ import annotations

from django import forms

from openincome.ledger.vocab import FREQUENCIES, label
from openincome.legal.actions_court import OUTCOMES

from .fields import GovDateField
from .forms import pounds_to_pence

# Optional fields say "(optional)" through the field template (_field.html), not their label.
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
    """What the court decided, with the terms an order carries. Each outcome's own fields sit
    under its radio (GOV.UK conditional reveal), named for it, so only the chosen one's count;
    `cleaned_data` carries them as instalment, frequency, possession_date and next_hearing."""

    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect,
                                choices=[(k, o.label) for k, o in OUTCOMES.items()],
                                error_messages={"required": "Select the outcome"})
    outcome_date = GovDateField(label="Date of the decision",
                                error_messages={"required": "Enter the date of the decision"})
    note = forms.CharField(**NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.revealed: dict[str, list[str]] = {}
        for key, rule in OUTCOMES.items():
            names = []
            if rule.terms:
                self.fields[f"instalment_{key}"] = forms.CharField(
                    label="Payment towards the arrears, in pounds", required=False,
                    max_length=14, help_text="On top of the rent. For example, 5.00")
                self.fields[f"frequency_{key}"] = forms.ChoiceField(
                    label="How often", required=False,
                    choices=[("", "Not given")] + [(f, label(f)) for f in FREQUENCIES])
                names += [f"instalment_{key}", f"frequency_{key}"]
            if rule.possession != "no":
                self.fields[f"possession_date_{key}"] = GovDateField(
                    label="Possession date", required=False)
                names.append(f"possession_date_{key}")
            if rule.next_hearing:
                self.fields[f"next_hearing_{key}"] = GovDateField(label="New hearing date",
                                                                  required=False)
                names.append(f"next_hearing_{key}")
            self.revealed[key] = names
        self.order_fields(["outcome", *[n for names in self.revealed.values() for n in names],
                           "outcome_date", "note"])

    def choices_revealing(self) -> list[tuple[str, str, list]]:
        """Each outcome, its label and the bound fields its radio reveals, for the template."""
        return [(key, rule.label, [self[name] for name in self.revealed[key]])
                for key, rule in OUTCOMES.items()]

    def clean(self):
        """The chosen outcome's own fields, under their plain names; pounds to pence."""
        data = self.cleaned_data
        key = data.get("outcome", "")
        data["instalment"] = None
        text = data.get(f"instalment_{key}") or ""
        try:
            data["instalment"] = pounds_to_pence(text, example="5.00")
        except forms.ValidationError as exc:
            self.add_error(f"instalment_{key}", exc)
        data["frequency"] = data.get(f"frequency_{key}") or ""
        data["possession_date"] = data.get(f"possession_date_{key}")
        data["next_hearing"] = data.get(f"next_hearing_{key}")
        return data


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
    hearing_date = GovDateField(label="Hearing date of the application",
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


class FromFilterForm(forms.Form):
    """The "from" date of the hearings and evictions lists (a GOV.UK date input)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the field is added by name.
        self.fields["from"] = GovDateField(label="From", required=False,
                                           help_text="For example, 27 3 2026")
