"""Every change the letters app makes (the actions convention of cases/actions.py): editing a
template (a new version), sending a communication, and a delivery status arriving."""

from __future__ import annotations

from django.db import transaction

from openincome.audit.log import record

from .models import Template, TemplateVersion
from .render import check


def edit_template(template: Template, user, *, subject: str, body: str,
                  note: str) -> TemplateVersion:
    """Save new wording as the template's next version (the old ones stay), audited."""
    check(body, template.channel)
    check(subject or "-", template.channel)
    if not note.strip():
        raise ValueError("Say what you changed and why")
    with transaction.atomic(durable=True):
        # Locked, so two administrators saving at once get versions n and n + 1.
        template = Template.objects.select_for_update().get(pk=template.pk)
        latest = template.current()
        if latest is not None and (latest.subject, latest.body) == (subject, body):
            raise ValueError("The wording is the same as the current version")
        version = TemplateVersion.objects.create(
            template=template, number=(latest.number if latest else 0) + 1, subject=subject,
            body=body, note=note, created_by=user if getattr(user, "pk", None) else None)
        record("template_edited", actor=user, object_type="letter_template",
               object_ref=f"{template.code}/{template.channel}", why=note,
               details={"version": version.number,
                        "previous": latest.number if latest else None})
    return version
