"""The letters pages' forms."""

from __future__ import annotations

from django import forms

from .render import TemplateError, check


class ChooseForm(forms.Form):
    """Which communication to send."""

    template = forms.ChoiceField(label="What do you want to send?", widget=forms.RadioSelect,
                                 error_messages={"required": "Select what to send",
                                                 "invalid_choice": "Select what to send"})

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].choices = list(choices)


class ConfirmForm(forms.Form):
    """The officer has read the preview and sends it."""

    template = forms.CharField(widget=forms.HiddenInput)


class TemplateForm(forms.Form):
    """New wording for a template (saved as its next version)."""

    subject = forms.CharField(label="Subject or heading", required=False, max_length=200)
    body = forms.CharField(label="Wording", max_length=20000,
                           help_text="A blank line starts a paragraph; a line starting with "
                                     "'- ' is a bullet, '# ' a heading. Fields go in double "
                                     "curly brackets, for example {{ arrears }}.",
                           widget=forms.Textarea(attrs={"rows": 16}),
                           error_messages={"required": "Enter the wording"})
    note = forms.CharField(label="What did you change and why?", max_length=300,
                           error_messages={"required": "Say what you changed and why"})

    def __init__(self, *args, channel: str = "letter", **kwargs):
        super().__init__(*args, **kwargs)
        self.channel = channel

    def clean_body(self) -> str:
        """Refuse wording the safe language does not allow."""
        body = self.cleaned_data["body"]
        try:
            check(body, self.channel)
        except TemplateError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return body

    def clean_subject(self) -> str:
        """Refuse a subject the safe language does not allow."""
        subject = self.cleaned_data["subject"]
        if subject:
            try:
                check(subject, self.channel)
            except TemplateError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return subject


class CloseTaskForm(forms.Form):
    """What the officer did about a failed delivery."""

    reference = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label="What did you do about it?", max_length=300,
                           error_messages={"required": "Say what you did about it"})
