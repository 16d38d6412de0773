"""How communications leave: a `Notifier`, chosen by the NOTIFIER setting.

- `RecordingNotifier` ("recording", the default: the demo and the tests) keeps each item in
  the app's outbox (OutboxItem), where an administrator can read it; nothing leaves.
- `NotifyNotifier` ("notify") sends through GOV.UK Notify with notifications-python-client:
  a letter as a precompiled PDF, a text or an email through a Notify template whose content
  is `((body))` (and whose subject is `((subject))`), named by the environment:
  OPENINCOME_NOTIFY_API_KEY, OPENINCOME_NOTIFY_SMS_TEMPLATE_ID,
  OPENINCOME_NOTIFY_EMAIL_TEMPLATE_ID. An email with a file (a quarterly statement) goes
  through OPENINCOME_NOTIFY_EMAIL_FILE_TEMPLATE_ID, whose content also has
  ((link_to_file)): Notify keeps the PDF and the tenant downloads it from the link after
  confirming their email address.
"""

from __future__ import annotations

import io
import os
import uuid
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .models import OutboxItem


class Notifier(Protocol):
    """Sends one item and returns the provider's id for it (delivery reports name it)."""

    def send_sms(self, to: str, text: str, reference: str) -> str:
        """Send a text message."""

    def send_email(self, to: str, subject: str, text: str, reference: str,
                   pdf: bytes | None = None, filename: str = "") -> str:
        """Send an email (with a PDF for the tenant to download, when given)."""

    def send_letter(self, pdf: bytes, reference: str) -> str:
        """Post a letter (an A4 PDF with the address in the address block)."""


class RecordingNotifier:
    """Keeps what it is asked to send in the outbox table; sends nothing."""

    def _keep(self, channel: str, to: str, subject: str, text: str, pdf: bytes | None,
              reference: str) -> str:
        provider_id = f"rec-{uuid.uuid4()}"
        OutboxItem.objects.create(channel=channel, to=to, subject=subject, text=text, pdf=pdf,
                                  reference=reference, provider_id=provider_id)
        return provider_id

    def send_sms(self, to: str, text: str, reference: str) -> str:
        """Keep a text message."""
        return self._keep("sms", to, "", text, None, reference)

    def send_email(self, to: str, subject: str, text: str, reference: str,
                   pdf: bytes | None = None, filename: str = "") -> str:
        """Keep an email (and its PDF)."""
        return self._keep("email", to, subject, text, pdf, reference)

    def send_letter(self, pdf: bytes, reference: str) -> str:
        """Keep a letter's PDF."""
        return self._keep("letter", "", "", "", pdf, reference)


class NotifyNotifier:
    """GOV.UK Notify (notifications-python-client)."""

    def __init__(self, client=None) -> None:
        if client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            key = os.environ.get("OPENINCOME_NOTIFY_API_KEY", "").strip()
            if not key:
                raise ImproperlyConfigured("Set OPENINCOME_NOTIFY_API_KEY to send through "
                                           "GOV.UK Notify")
            client = NotificationsAPIClient(key)
        self.client = client

    @staticmethod
    def _template(name: str) -> str:
        value = os.environ.get(f"OPENINCOME_NOTIFY_{name}_TEMPLATE_ID", "").strip()
        if not value:
            raise ImproperlyConfigured(f"Set OPENINCOME_NOTIFY_{name}_TEMPLATE_ID (a Notify "
                                       "template whose content is ((body)))")
        return value

    def send_sms(self, to: str, text: str, reference: str) -> str:
        """Send a text message through the ((body)) template."""
        response = self.client.send_sms_notification(
            phone_number=to, template_id=self._template("SMS"),
            personalisation={"body": text}, reference=reference)
        return response["id"]

    def send_email(self, to: str, subject: str, text: str, reference: str,
                   pdf: bytes | None = None, filename: str = "") -> str:
        """Send an email through the ((subject)) / ((body)) template; with a PDF, through the
        one that also has ((link_to_file)) (the tenant confirms their address to download)."""
        personalisation = {"subject": subject, "body": text}
        template = "EMAIL"
        if pdf is not None:
            from notifications_python_client import prepare_upload

            template = "EMAIL_FILE"
            personalisation["link_to_file"] = prepare_upload(
                io.BytesIO(pdf), filename=filename or f"{reference}.pdf",
                confirm_email_before_download=True, retention_period="26 weeks")
        response = self.client.send_email_notification(
            email_address=to, template_id=self._template(template),
            personalisation=personalisation, reference=reference)
        return response["id"]

    def send_letter(self, pdf: bytes, reference: str) -> str:
        """Post our own PDF as a precompiled letter (second class)."""
        response = self.client.send_precompiled_letter_notification(
            reference=reference, pdf_file=io.BytesIO(pdf), postage="second")
        return response["id"]


def get_notifier() -> Notifier:
    """The notifier the NOTIFIER setting names."""
    name = getattr(settings, "NOTIFIER", "recording")
    if name == "notify":
        return NotifyNotifier()
    if name == "recording":
        return RecordingNotifier()
    raise ImproperlyConfigured(f"OPENINCOME_NOTIFIER must be 'recording' or 'notify', not "
                               f"{name!r}")
