"""Production safety: the Content-Security-Policy header and the refusal of the public key.

Django 5.2 has no built-in CSP, so a small middleware sets the policy of settings.py on every
response. The pages keep to it: no inline scripts or styles (tests/web/test_security.py).
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# `openincome demo` sets this: a throwaway landlord on this machine may use the built-in key.
DEMO_MODE_ENV = "OPENINCOME_DEMO_MODE"

DEV_KEY_REFUSED = (
    "Open Income will not serve with the built-in development secret key: anyone could forge "
    "its signatures. Set OPENINCOME_SECRET_KEY to a long random value, for example the output "
    "of: python -c \"import secrets; print(secrets.token_urlsafe(50))\" "
    "(`openincome demo` may use the built-in key)"
)


class ContentSecurityPolicyMiddleware:
    """Sets the Content-Security-Policy header (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response


def demo_mode() -> bool:
    """Whether this process serves the demo (set by `openincome demo`)."""
    return os.environ.get(DEMO_MODE_ENV, "").strip().lower() in ("1", "true", "yes")


def uses_dev_secret_key() -> bool:
    """Whether the secret key is the public one written in settings.py."""
    return settings.SECRET_KEY == settings.DEV_SECRET_KEY


def dev_key_problem(production_only: bool = False) -> str | None:
    """Why serving must be refused (the built-in key outside demo mode), or None."""
    if not uses_dev_secret_key() or demo_mode():
        return None
    if production_only and not settings.PRODUCTION:
        return None
    return DEV_KEY_REFUSED


def refuse_dev_key_in_production() -> None:
    """Raise ImproperlyConfigured when production would run on the built-in key."""
    problem = dev_key_problem(production_only=True)
    if problem:
        raise ImproperlyConfigured(problem)
