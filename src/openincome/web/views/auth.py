"""Signing in: Django's sign-in page with a lockout after repeated failures, audited."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

from .. import signin

WRONG = "Enter a correct username and password"
# The same words whether or not the account exists, and whichever of account or address.
LOCKED = ("There have been too many failed attempts to sign in. Wait {minutes} minutes, "
          "then try again")


class ThrottledAuthenticationForm(AuthenticationForm):
    """Checks the lockout before the password; records every attempt with a username."""

    error_messages = {**AuthenticationForm.error_messages, "invalid_login": WRONG,
                      "inactive": WRONG}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"

    def clean(self):
        """Refuse while locked out; otherwise check the password and record the outcome."""
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return self.cleaned_data  # the field errors say what is missing: no attempt
        address = signin.client_address(self.request)
        now = timezone.now()
        locked = signin.lockout(username, address, now)
        if locked is not None:
            signin.refused(username, address, now)
            minutes = max(1, -(-int((locked[1] - now).total_seconds()) // 60))
            raise forms.ValidationError(LOCKED.format(minutes=minutes), code="locked")
        try:
            super().clean()
        except forms.ValidationError:
            signin.sign_in_failed(username, address, now)
            raise
        signin.signed_in(self.get_user(), address, now)
        return self.cleaned_data


class SignInView(auth_views.LoginView):
    """The sign-in page."""

    form_class = ThrottledAuthenticationForm
