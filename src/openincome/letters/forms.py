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
    """The officer has read the preview and sends it (again, with a reason, when it was
    already sent)."""

    template = forms.CharField(widget=forms.HiddenInput)
    again = forms.BooleanField(label="Send it again", required=False)
    reason = forms.CharField(label="Why does it need to go again?", required=False,
                             max_length=300)

    def clean(self):
        """A repeat needs its reason."""
        data = super().clean()
        if data.get("again") and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why it needs to go again")
        return data


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


class DetailsForm(forms.Form):
    """What every letter says about the landlord."""

    address = forms.CharField(label="Your address", max_length=500,
                              help_text="One line per line of the address",
                              widget=forms.Textarea(attrs={"rows": 4}),
                              error_messages={"required": "Enter your address"})
    phone = forms.CharField(label="Telephone number", max_length=40, required=False)
    email = forms.CharField(label="Email address", max_length=200, required=False)
    payment_methods = forms.CharField(label="Ways to pay", max_length=2000,
                                      help_text="One way to pay per line",
                                      widget=forms.Textarea(attrs={"rows": 5}),
                                      error_messages={"required": "Enter at least one way "
                                                                  "to pay"})
    signature = forms.CharField(label="Signed by", max_length=200,
                                help_text="For example, Income Team",
                                error_messages={"required": "Enter who signs the letters"})
    why = forms.CharField(label="Why are you changing these details?", max_length=300,
                          error_messages={"required": "Say why you are changing these "
                                                     "details"})
