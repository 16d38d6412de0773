"""Forms of the administration pages: users, patches and allocation.

Each form validates everything an administrator typed (with GOV.UK-style messages) before the
view calls one function of `openincome.staff.actions`, which writes and audits.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from openincome.ledger.limits import REF_MAX_LENGTH, RESERVED_CODES
from openincome.ledger.models import Patch
from openincome.staff.actions import SELF_DEACTIVATE, SELF_ROLE
from openincome.staff.roles import ROLES

from .forms import REF_CHARACTERS, guard_free_text, ref_validator

# Paths /admin/users/add/ and /admin/patches/add/ would hide a user or patch called "add".
RESERVED = RESERVED_CODES

# Usernames and patch codes are references (ledger.limits): URL segments, CLI arguments and
# import values alike.
CODE_CHARACTERS = REF_CHARACTERS

ROLE_CHOICES = list(ROLES.items())
ROLE_HINTS = {
    "officer": "Works a patch: worklist, contacts and recovery actions",
    "team_leader": "Everything an officer does, and builds worklists",
    "manager": "Everything a team leader does, with performance and approvals",
    "finance": "Reads accounts; payments and adjustments",
    "admin": "Manages users, patches and allocation",
}
STATUS_CHOICES = [("true", "Active: can sign in"), ("false", "Deactivated: cannot sign in")]


class HintedRadioSelect(forms.RadioSelect):
    """Radios with a hint under some options (the template shows `choice.data.hint`)."""

    def __init__(self, *args, hints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.hints = hints or {}

    def create_option(self, name, value, *args, **kwargs):
        """Add the option's hint to what the template receives."""
        option = super().create_option(name, value, *args, **kwargs)
        option["hint"] = self.hints.get(value, "")
        return option


def patch_choices() -> list[tuple[str, str]]:
    """Every patch as (code, label) for checkboxes."""
    return [(p.code, f"{p.code} – {p.name}" if p.name else p.code)
            for p in Patch.objects.order_by("code")]


# Someone else's details: the browser must not offer the administrator's own name or email.
OTHER_PERSON = {"autocomplete": "off", "spellcheck": "false"}


def _text(label: str, required_message: str | None, max_length: int = 150, width: str = "",
          **kwargs):
    attrs = {**OTHER_PERSON, "class": width} if width else dict(OTHER_PERSON)
    kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
    messages = {"max_length": f"{label} must be {max_length} characters or fewer"}
    if required_message:
        messages["required"] = required_message
    return forms.CharField(label=label, max_length=max_length, required=bool(required_message),
                           error_messages=messages, **kwargs)


def _email():
    return forms.EmailField(
        label="Email address", required=False, max_length=254,
        widget=forms.EmailInput(attrs={**OTHER_PERSON, "class": "govuk-!-width-two-thirds"}),
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Email address must be 254 characters or fewer",
        },
    )


def _role():
    return forms.ChoiceField(
        label="Role", choices=ROLE_CHOICES, widget=HintedRadioSelect(hints=ROLE_HINTS),
        error_messages={"required": "Select a role",
                        "invalid_choice": "Select a role from the list"},
    )


def _patches(label: str = "Patches"):
    return forms.MultipleChoiceField(
        label=label, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select all the patches this person works. Their worklist opens on these.",
        error_messages={"invalid_choice": "Select patches from the list"},
    )


class PasswordsMixin:
    """A new password typed twice: they must match and pass the password rules."""

    def clean_passwords(self, user) -> None:
        """Check the two passwords match and are strong enough for `user`."""
        first = self.cleaned_data.get("password1")
        second = self.cleaned_data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The passwords do not match")
        elif first:
            try:
                validate_password(first, user)
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error("password1", message)


def _password(label: str, required_message: str, autocomplete: str = "new-password"):
    # render_value=False: a password is never sent back to the browser, even on error.
    return forms.CharField(
        label=label, strip=False, error_messages={"required": required_message},
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": autocomplete}),
    )


class UserAddForm(PasswordsMixin, forms.Form):
    """A new user: who they are, their role, their patches and a first password."""

    username = _text(
        "Username", "Enter a username", max_length=REF_MAX_LENGTH, width="govuk-!-width-one-half",
        help_text="What they type to sign in. Letters, numbers, full stops, hyphens and "
                  "underscores only.",
        validators=[ref_validator("Username")],
    )
    first_name = _text("First name", "Enter a first name", width="govuk-!-width-one-half")
    last_name = _text("Last name", "Enter a last name", width="govuk-!-width-one-half")
    email = _email()
    role = _role()
    patches = _patches()
    password1 = _password("Password", "Enter a password")
    password2 = _password("Confirm password", "Enter the password again")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patches"].choices = patch_choices()
        self.fields["password1"].help_text = "At least 8 characters."

    def clean_username(self) -> str:
        """Refuse a username that is taken (whatever its case) or reserved."""
        username = self.cleaned_data["username"]
        if username.lower() in RESERVED:
            raise ValidationError(f"'{username}' cannot be used as a username")
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(f"A user called '{username}' already exists")
        return username

    def clean(self):
        """Check the passwords against each other and the password rules."""
        data = super().clean()
        User = get_user_model()
        self.clean_passwords(User(username=data.get("username", ""),
                                  first_name=data.get("first_name", ""),
                                  last_name=data.get("last_name", ""),
                                  email=data.get("email", "")))
        return data


class UserEditForm(forms.Form):
    """An existing user's details, role, patches and status."""

    first_name = _text("First name", None, width="govuk-!-width-one-half")
    last_name = _text("Last name", None, width="govuk-!-width-one-half")
    email = _email()
    role = _role()
    patches = _patches()
    active = forms.TypedChoiceField(
        label="Account status", choices=STATUS_CHOICES, widget=forms.RadioSelect,
        coerce=lambda value: value == "true",
        help_text="Deactivate someone who leaves: their history stays, they cannot sign in.",
        error_messages={"required": "Select whether the account is active",
                        "invalid_choice": "Select whether the account is active"},
    )

    def __init__(self, *args, user, editor, **kwargs):
        self.user = user
        self.editor = editor
        super().__init__(*args, **kwargs)
        self.fields["patches"].choices = patch_choices()

    def clean(self):
        """Stop an administrator locking themselves out."""
        data = super().clean()
        if self.user.pk == self.editor.pk:
            if "role" in data and data["role"] != "admin":
                self.add_error("role", SELF_ROLE)
            if data.get("active") is False:
                self.add_error("active", SELF_DEACTIVATE)
        return data


class PasswordResetForm(PasswordsMixin, forms.Form):
    """A new password for an existing user."""

    password1 = _password("New password", "Enter a new password")
    password2 = _password("Confirm new password", "Enter the new password again")

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = "At least 8 characters. Tell them it in person."

    def clean(self):
        """Check the passwords against each other and the password rules."""
        data = super().clean()
        self.clean_passwords(self.user)
        return data




class PatchAddForm(forms.Form):
    """A new patch: its code (as in the properties file) and its name."""

    code = _text(
        "Patch code", "Enter a patch code", max_length=50, width="govuk-input--width-10",
        help_text="As it appears in the properties file, for example EAST.",
        validators=[ref_validator("Patch code")],
    )
    name = _text("Name", "Enter a name for the patch", max_length=200)

    def clean_code(self) -> str:
        """Refuse a code that is taken (whatever its case) or reserved."""
        code = self.cleaned_data["code"]
        if code.lower() in RESERVED:
            raise ValidationError(f"'{code}' cannot be used as a patch code")
        if Patch.objects.filter(code__iexact=code).exists():
            raise ValidationError(f"A patch with the code '{code}' already exists")
        return code


class PatchEditForm(forms.Form):
    """A patch's name and who works it."""

    name = _text("Name", "Enter a name for the patch", max_length=200)
    officers = forms.MultipleChoiceField(
        label="Who works this patch", required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone who works this patch.",
        error_messages={"invalid_choice": "Select people from the list"},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].choices = choices


guard_free_text([UserAddForm, UserEditForm, PatchAddForm, PatchEditForm])
