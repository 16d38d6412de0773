"""Forms for the legal steps: the pre-action checklist, the proportionality assessment, an
approval's request and decision, a claim and a warrant application. Each validates fully
before the action is called; the action checks its gates again."""

from __future__ import annotations

from django import forms

from openincome.legal.models import ESCALATION_CHOICES
from openincome.legal.protocol import STEPS

from .fields import GovDateField
from .forms import NotFutureMixin


def _text(label: str, help_text: str, required: bool = True, rows: int = 4) -> forms.CharField:
    return forms.CharField(label=label, help_text=help_text, required=required,
                           max_length=4000, widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"})


def _in_sentence(words: str) -> str:
    """A label inside a sentence: its first letter lower case unless it starts an acronym
    ("DWP deductions" stays as it is)."""
    return words if words[1:2].isupper() else words[:1].lower() + words[1:]


def _escalation() -> forms.ChoiceField:
    return forms.ChoiceField(label="Which step", widget=forms.RadioSelect,
                             choices=ESCALATION_CHOICES,
                             error_messages={"required": "Select the step"})


class ChecklistForm(NotFutureMixin, forms.Form):
    """The day the checklist was completed and a note per protocol step."""

    completed = GovDateField(label="Date completed", help_text="For example, 27 3 2026",
                             error_messages={"required": "Enter the date it was completed"})

    def __init__(self, *args, evidence=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.evidence = evidence or {}
        for step, words in STEPS.items():
            found = bool(self.evidence.get(step))
            self.fields[f"note_{step}"] = forms.CharField(
                label=words, required=False, max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=("The account shows the evidence listed. Add a note if it helps."
                           if found else "Nothing on the account shows this yet: say how it "
                           "was done, or why it does not apply."))

    def clean(self):
        """Each step without evidence needs a note; the date is not in the future."""
        self.not_future("completed")
        for step, words in STEPS.items():
            name = f"note_{step}"
            if not self.evidence.get(step) and not self.cleaned_data.get(name, "").strip():
                self.add_error(name, f"Say how this was done: {_in_sentence(words)}")
        return self.cleaned_data

    def notes(self) -> dict[str, str]:
        """Step code -> note."""
        return {step: self.cleaned_data.get(f"note_{step}", "") for step in STEPS}


class AssessmentForm(NotFutureMixin, forms.Form):
    """A proportionality and equality (PSED) assessment."""

    escalation = _escalation()
    assessed = GovDateField(label="Date of the assessment", help_text="For example, 27 3 2026",
                            error_messages={"required": "Enter the date of the assessment"})
    vulnerability = _text("Vulnerability and protected characteristics known",
                          "Disability, age, pregnancy, mental health and any other need "
                          "known on the account or from talking to the household.")
    effect = _text("Their effect", "How they bear on the arrears and on the household's ability "
                   "to deal with them, and what the step would mean for them.")
    alternatives = _text("Alternatives tried", "Plans offered, referrals, benefit help, "
                         "payments direct from DWP, and what came of them.")
    reasoning = _text("Your reasoning", "Why this step is, or is not, a proportionate way to "
                      "recover the arrears now.")
    proportionate = forms.TypedChoiceField(
        label="Is the step proportionate?", widget=forms.RadioSelect,
        choices=[("yes", "Yes, it is proportionate"), ("no", "No, it is not proportionate")],
        coerce=lambda v: v == "yes",
        error_messages={"required": "Select whether the step is proportionate"})

    def clean(self):
        """The date is not in the future."""
        self.not_future("assessed")
        return self.cleaned_data


class ApprovalRequestForm(forms.Form):
    """Ask a team leader or manager to approve a step."""

    escalation = _escalation()
    note = _text("Note for the approver", "Anything the approver should know.", required=False,
                 rows=3)


class DecisionForm(forms.Form):
    """Approve or refuse a request, with the reason."""

    decision = forms.ChoiceField(label="Your decision", widget=forms.RadioSelect,
                                 choices=[("approve", "Approve"), ("refuse", "Refuse")],
                                 error_messages={"required": "Select approve or refuse"})
    reason = _text("Reason", "Recorded with the decision and shown to the officer.", rows=3)


class ClaimForm(NotFutureMixin, forms.Form):
    """A possession claim issued."""

    claim_date = GovDateField(label="Date the claim was issued",
                              help_text="For example, 27 3 2026",
                              error_messages={"required": "Enter the date the claim was issued"})
    claim_number = forms.CharField(label="Claim number", required=False, max_length=50,
                                   help_text="The court's claim number, if you have it.",
                                   widget=forms.TextInput(attrs={"class": "govuk-input--width-10",
                                                                 "spellcheck": "false"}))

    def clean(self):
        """The date is not in the future."""
        self.not_future("claim_date")
        return self.cleaned_data


class WarrantForm(NotFutureMixin, forms.Form):
    """A warrant of possession applied for."""

    applied = GovDateField(label="Date applied for", help_text="For example, 27 3 2026",
                           error_messages={"required": "Enter the date it was applied for"})

    def clean(self):
        """The date is not in the future."""
        self.not_future("applied")
        return self.cleaned_data
