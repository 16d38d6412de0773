"""The automatic sends form (administrators): which communications go out by themselves, for
which patches, from a date."""

from __future__ import annotations

from django import forms

from .fields import GovDateField

EVERY_PATCH = "*"


class AutoSendForm(forms.Form):
    """One checkbox group per communication that may be sent automatically (none ticked:
    officers send it), the date the change starts and why."""

    effective_from = GovDateField(label="From when?",
                                  help_text="Today or later. For example, 27 3 2027",
                                  error_messages={"required": "Enter the date the change "
                                                              "starts"})
    note = forms.CharField(label="Why are the automatic sends changing?", max_length=300,
                           error_messages={"required": "Say why the automatic sends change"})

    def __init__(self, *args, actions=(), patches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actions = list(actions)
        choices = [(EVERY_PATCH, "Every patch"), *((p, f"Patch {p}") for p in patches)]
        fields = {}
        for action, name in self.actions:
            fields[f"send_{action}"] = forms.MultipleChoiceField(
                label=f"{name}: send automatically for", required=False, choices=choices,
                widget=forms.CheckboxSelectMultiple,
                help_text="Tick none and officers send it themselves",
                error_messages={"invalid_choice": "Choose patches from the list"})
        # The communications first, then the date and why (the order the page asks).
        self.fields = {**fields, **self.fields}

    def clean(self):
        """Every patch, or some patches: not both."""
        data = super().clean()
        for action, name in self.actions:
            chosen = data.get(f"send_{action}") or []
            if EVERY_PATCH in chosen and len(chosen) > 1:
                self.add_error(f"send_{action}",
                               f"{name}: choose every patch or some patches, not both")
        return data

    def rules(self) -> dict[str, list[str]]:
        """Engine action -> the patches chosen (only those with some)."""
        return {action: list(self.cleaned_data[f"send_{action}"]) for action, _ in self.actions
                if self.cleaned_data.get(f"send_{action}")}
