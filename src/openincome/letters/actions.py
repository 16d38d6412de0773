"""Every change the letters app makes (the actions convention of cases/actions.py): editing a
template (a new version), sending a communication, and a delivery status arriving."""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from openincome.audit.log import record
from openincome.cases.models import Contact
from openincome.ledger.freshness import touched
from openincome.ledger.locks import lock_tenancies, lock_tenancy
from openincome.ledger.models import Patch, RecordedAction, Tenancy, Tenant
from openincome.ledger.vocab import label
from openincome.policy.actions import add_version
from openincome.policy.models import PolicyVersion
from openincome.policy.store import params_in_force

from .context import landlord_context, last_complete_quarter
from .models import Communication, LetterDetails, Template, TemplateVersion
from .notifiers import get_notifier
from .pdf import render_pdf
from .queries import (
    already_sent,
    automatable_actions,
    breathing_space_running,
    compose,
    missing_fact,
    recipients,
)
from .render import check


def edit_template(template: Template, user, *, subject: str, body: str,
                  note: str, restored_from: int | None = None) -> TemplateVersion:
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
                        "previous": latest.number if latest else None,
                        **({"restored_from": restored_from} if restored_from else {})})
    return version


def restore_template_version(template: Template, user, *, number: int,
                             note: str = "") -> TemplateVersion:
    """Bring back an old version's wording as the template's next version (the versions in
    between stay), audited as an edit that names the version restored."""
    old = template.versions.filter(number=number).first()
    if old is None:
        raise ValueError(f"There is no version {number}")
    return edit_template(template, user, subject=old.subject, body=old.body,
                         note=note.strip() or f"Restored version {number}",
                         restored_from=number)


class NothingToSend(ValueError):
    """The communication cannot be sent (a Breathing Space, no template, no tenant)."""


def send_communication(
    tenancy: Tenancy, user, *, code: str, as_of: datetime.date, notifier=None,
    once: bool = False, again: str = "",
) -> list[Communication]:
    """Send a communication to each named tenant by their channel (a letter when the channel
    cannot be used): stored as sent, logged as a contact, recorded as its ladder action,
    audited, and the case classified again; then handed to the notifier. Refused when its
    facts do not exist, or when it was already sent on that date (or, a notice of hearing,
    for that hearing) unless `again` gives the officer's reason to send it again (audited;
    never with `once`, the automatic and bulk sends)."""
    with transaction.atomic(durable=True):
        made = store_communication(tenancy, user, code=code, as_of=as_of, once=once,
                                   again=again)
    dispatch(made, notifier or get_notifier())
    return made


def store_communication(
    tenancy: Tenancy, user, *, code: str, as_of: datetime.date, once: bool = False,
    again: str = "",
) -> list[Communication]:
    """send_communication's writes, inside the caller's transaction (a bulk send counts each
    case in the same one): the caller hands the result to `dispatch` once it commits."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a communication is stored inside a transaction: open one first")
    lock_tenancy(tenancy.pk)
    if breathing_space_running(tenancy, as_of):
        raise NothingToSend("A Breathing Space is running: nothing about the debt may be "
                            "sent")
    if why := missing_fact(code, tenancy, as_of):
        raise NothingToSend(why)
    again = "" if once else again.strip()
    # Checked under the tenancy's lock, so two runs at once cannot both send.
    if not again and (earlier := already_sent(code, tenancy, as_of)):
        raise NothingToSend(earlier)
    people = recipients(code, tenancy)
    if not people:
        raise NothingToSend("There is no template for this communication, or no tenant "
                            "to send it to")
    made = []
    for person in people:
        version = person.template.current()
        out = compose(version, tenancy, as_of, person.tenant)
        made.append(Communication.objects.create(
            tenancy=tenancy, tenant=person.tenant, version=version, channel=person.channel,
            recipient=person.to, date=as_of, as_of=as_of, subject=out.subject,
            text=out.text, pdf=render_pdf(out.html) if person.channel == "letter" else None,
            reference=f"OI-{uuid.uuid4().hex[:16].upper()}",
            sent_by=user if getattr(user, "pk", None) else None))
    template = people[0].template
    channels = sorted({c.channel for c in made})
    Contact.objects.create(
        tenancy=tenancy, date=as_of, channel=made[0].channel, direction="outbound",
        outcome="sent", officer=_officer(user),
        note=f"{template.name}: " + ", ".join(
            f"{label(c.channel)} to {c.tenant.full_name}" for c in made))
    if template.recorded_code:
        note = f"Sent from Open Income ({template.name})"
        if template.code == STATEMENT_TEMPLATE:
            # Marked as the quarterly run marks it, so the run does not issue it again.
            note = statement_note(last_complete_quarter(as_of)[0])
        RecordedAction.objects.create(
            tenancy=tenancy, date=as_of, code=template.recorded_code,
            channel=made[0].channel, note=note)
    record("communication_sent", actor=user, object_type="tenancy",
           object_ref=tenancy.tenancy_ref, why=template.name,
           details={"code": code, "channels": channels,
                    "references": [c.reference for c in made],
                    "versions": sorted({c.version_id for c in made}),
                    "ladder_code": template.recorded_code,
                    **({"sent_again": again} if again else {})})
    touched([tenancy.pk], as_of)
    return made


def dispatch(items: list[Communication], notifier) -> None:
    """Hand stored communications to the notifier; a refusal marks the item failed (a task
    for an officer), never silence."""
    for item in items:
        try:
            if item.channel == "sms":
                provider_id = notifier.send_sms(item.recipient, item.text, item.reference)
            elif item.channel == "email":
                # A statement by email carries its PDF (a download link, with Notify).
                provider_id = notifier.send_email(
                    item.recipient, item.subject, item.text, item.reference,
                    **({"pdf": bytes(item.pdf), "filename": f"{item.reference}.pdf"}
                       if item.pdf else {}))
            else:
                provider_id = notifier.send_letter(bytes(item.pdf), item.reference)
            status, note = "sending", ""
        except Exception as exc:  # noqa: BLE001 - any provider error becomes the officer's task
            provider_id, status, note = "", "failed", f"Not sent: {type(exc).__name__}: {exc}"
        with transaction.atomic(durable=True):
            Communication.objects.filter(pk=item.pk).update(
                provider_id=provider_id, status=status, status_at=timezone.now(),
                task_note=note[:300])
            if status == "failed":
                record("communication_failed", actor="notifier", object_type="tenancy",
                       object_ref=item.tenancy.tenancy_ref, why=note[:300],
                       details={"reference": item.reference})
        item.provider_id, item.status, item.task_note = provider_id, status, note[:300]


NOTIFY_STATUSES = {"delivered", "permanent-failure", "temporary-failure", "technical-failure",
                   "sending", "created", "pending", "accepted", "received", "cancelled",
                   "validation-failed", "virus-scan-failed", "pending-virus-check"}
# Notify's words for a letter or message that will not arrive.
_FAILED_WORDS = {"validation-failed": "permanent-failure", "virus-scan-failed":
                 "permanent-failure", "cancelled": "permanent-failure"}


def record_delivery_status(*, provider_id: str, reference: str, status: str,
                           as_of: datetime.date) -> Communication | None:
    """A delivery report from the provider updates the communication (None when it names none
    of ours); a permanent failure opens a task for the officer."""
    if status not in NOTIFY_STATUSES:
        raise ValueError(f"unknown status {status[:40]!r}")
    status = _FAILED_WORDS.get(status, status)
    if status in ("created", "pending", "accepted", "received", "pending-virus-check"):
        status = "sending"
    with transaction.atomic(durable=True):
        rows = Communication.objects.select_related("tenancy").defer("pdf")
        item = rows.filter(provider_id=provider_id).first() if provider_id else None
        if item is None and reference:
            item = rows.filter(reference=reference).first()
        if item is None:
            return None
        lock_tenancy(item.tenancy_id)
        old = item.status
        item.status, item.status_at = status, timezone.now()
        item.save(update_fields=["status", "status_at"])
        record("delivery_status", actor="notifier", object_type="tenancy",
               object_ref=item.tenancy.tenancy_ref, why=status,
               details={"reference": item.reference, "old": old, "new": status})
        touched([item.tenancy_id], as_of)
    return item


def close_failure_task(item: Communication, user, *, note: str,
                       as_of: datetime.date) -> Communication:
    """Say what was done about a communication that could not be delivered, audited."""
    if not note.strip():
        raise ValueError("Say what you did about it")
    with transaction.atomic(durable=True):
        lock_tenancy(item.tenancy_id)
        item = Communication.objects.select_for_update().get(pk=item.pk)
        if item.task_closed_at is not None:
            raise ValueError("This has already been dealt with")
        item.task_closed_at, item.task_note = timezone.now(), note.strip()[:300]
        item.save(update_fields=["task_closed_at", "task_note"])
        record("delivery_failure_dealt_with", actor=user, object_type="tenancy",
               object_ref=item.tenancy.tenancy_ref, why=note,
               details={"reference": item.reference})
        touched([item.tenancy_id], as_of)
    return item


SYSTEM_USER = "openincome-system"


def _officer(user):
    """The user a contact is logged against: the sender, or the system's own user for sends
    the command line or the nightly run makes."""
    return user if getattr(user, "pk", None) else system_user()


def system_user():
    """The system's own user (never signs in): who automatic and command-line sends are
    logged against."""
    from django.contrib.auth import get_user_model

    system, created = get_user_model().objects.get_or_create(
        username=SYSTEM_USER, defaults={"is_active": False})
    if created:
        system.set_unusable_password()
        system.save(update_fields=["password"])
    return system


def statement_note(quarter: str) -> str:
    """The recorded action's note that marks a tenancy's statement for a quarter as issued."""
    return f"Quarterly statement {quarter}"


def record_statements_issued(tenancy_ids: list[int], user, *, quarter: str,
                             on: datetime.date, as_of: datetime.date) -> list[int]:
    """Record `statement_sent` for each tenancy not yet recorded for this quarter (so a run
    repeated records nothing twice), audited once; the tenancies recorded."""
    note = statement_note(quarter)
    recorded: list[int] = []
    for i in range(0, len(tenancy_ids), 500):
        batch = sorted(tenancy_ids[i:i + 500])
        with transaction.atomic(durable=True):
            lock_tenancies(batch)
            done = set(RecordedAction.objects.filter(
                tenancy_id__in=batch, code="statement_sent", note=note)
                .values_list("tenancy_id", flat=True))
            new = [t for t in batch if t not in done]
            RecordedAction.objects.bulk_create(
                RecordedAction(tenancy_id=t, date=on, code="statement_sent", channel="letter",
                               note=note) for t in new)
            if new:
                record("statements_issued", actor=user, object_type="statement_run",
                       object_ref=quarter, why=note,
                       details={"quarter": quarter, "tenancies": len(new)})
                touched(new, as_of)
        recorded += new
    return recorded


STATEMENT_TEMPLATE = "quarterly_statement"


def send_statements(tenancy_ids: list[int], user, *, quarter: str, on: datetime.date,
                    notifier=None, out_dir: str | None = None,
                    progress=lambda n: None, batch: int = 250) -> list[Communication]:
    """Send each tenancy's statement for the quarter through the notifier, as a letter or, to
    a lead tenant who prefers email and has an address, by email with the PDF: stored as a
    communication, logged as a contact, recorded as `statement_sent` (once per tenancy
    and quarter: a repeated run sends nothing twice), audited per batch and the cases
    classified again. A Breathing Space on the quarter's last day or on `on` holds the
    statement. With `out_dir`, each PDF is written there too."""
    from .statements import (
        draw_statement,
        file_name,
        held_by_breathing_space,
        quarter_bounds,
        statement_data,
    )

    start, end = quarter_bounds(quarter)
    template = Template.objects.get(code=STATEMENT_TEMPLATE, channel="letter")
    version = template.current()
    landlord = landlord_context()
    officer = _officer(user)
    note = statement_note(quarter)
    notifier = notifier or get_notifier()
    sent: list[Communication] = []
    for i in range(0, len(tenancy_ids), batch):
        ids = sorted(tenancy_ids[i:i + batch])
        # Drawn before the transaction: the locks are held only to check and record.
        drawn = {d["tenancy_id"]: (d, draw_statement(d, landlord))
                 for d in statement_data(ids, start, end)}
        leads = {}
        for tenant in Tenant.objects.filter(tenancy_id__in=ids).order_by("-is_lead",
                                                                          "person_ref"):
            leads.setdefault(tenant.tenancy_id, tenant)
        how = {t: _statement_channel(channel, leads.get(t), drawn.get(t))
               for t, channel in Tenancy.objects.filter(pk__in=ids)
               .values_list("pk", "preferred_channel")}
        with transaction.atomic(durable=True):
            lock_tenancies(ids)
            done = set(RecordedAction.objects.filter(
                tenancy_id__in=ids, code="statement_sent", note=note)
                .values_list("tenancy_id", flat=True))
            held = held_by_breathing_space(ids, end) | held_by_breathing_space(ids, on)
            new = [t for t in ids if t not in done and t not in held and t in drawn]
            made = Communication.objects.bulk_create(
                Communication(
                    tenancy_id=t, tenant=leads.get(t), version=version, channel=how[t][0],
                    recipient=how[t][1], date=on, as_of=on,
                    subject=version.subject or template.name,
                    text=_statement_text(template.name, drawn[t][0], how[t][0], landlord),
                    pdf=drawn[t][1], reference=f"OI-{uuid.uuid4().hex[:16].upper()}",
                    sent_by=officer)
                for t in new)
            # With each contact's first history record, as a contact saved one at a time has.
            bulk_create_with_history(
                [Contact(tenancy_id=t, date=on, channel=how[t][0], direction="outbound",
                         outcome="sent", officer=officer,
                         note=f"{template.name} {quarter}: {label(how[t][0])} to "
                              f"{drawn[t][0]['to']}")
                 for t in new], Contact, default_user=officer)
            RecordedAction.objects.bulk_create(
                RecordedAction(tenancy_id=t, date=on, code="statement_sent",
                               channel=how[t][0], note=note) for t in new)
            if new:
                record("statements_sent", actor=user, object_type="statement_run",
                       object_ref=quarter, why=note,
                       details={"quarter": quarter, "tenancies": len(new),
                                "by_email": sum(1 for t in new if how[t][0] == "email"),
                                "references": [c.reference for c in made],
                                "version": version.pk})
                touched(new, on)
        if out_dir:
            import os

            for item in made:
                data = drawn[item.tenancy_id][0]
                path = os.path.join(out_dir, file_name(data["tenancy_ref"], quarter))
                with open(path + ".part", "wb") as fh:
                    fh.write(item.pdf)
                os.replace(path + ".part", path)
        # SQLite hands back no ids from bulk_create: read the new rows for the notifier.
        if made and made[0].pk is None:
            made = list(Communication.objects.filter(reference__in=[c.reference for c in made])
                        .select_related("tenancy"))
        dispatch(made, notifier)
        sent += made
        progress(len(ids))
    return sent


def _statement_channel(preferred: str, lead, drawn) -> tuple[str, str]:
    """(channel, recipient) of a tenancy's statement: by email to a lead tenant who prefers
    email and has an address, else by letter to the statement's address block."""
    if preferred == "email" and lead is not None and lead.email.strip():
        return "email", lead.email.strip()
    if drawn is None:  # not drawn: not sent either (see `new`)
        return "letter", ""
    return "letter", "\n".join([drawn[0]["to"], *drawn[0]["address"]])


def _statement_text(name: str, data: dict, channel: str, landlord: dict) -> str:
    """What is stored as a statement's text: a one-line summary of a letter, or the email."""
    if channel != "email":
        return f"{name} from {data['from']} to {data['until']}: balance {data['closing']}."
    return (f"Dear {data['to']}\n\nYour {name.lower()} from {data['from']} to "
            f"{data['until']} is ready. Download it with the link in this email: you will be "
            f"asked to confirm your email address first.\n\nOn {data['until']} your balance "
            f"was {data['closing']}.\n\n{landlord.get('signature') or ''}").strip()


DETAIL_FIELDS = ("address", "phone", "email", "payment_methods", "signature")


def edit_letter_details(user, *, changes: dict, why: str) -> LetterDetails:
    """Change what every letter says about the landlord (address, telephone, ways to pay),
    audited with the fields changed."""
    if not why.strip():
        raise ValueError("Say why you are changing these details")
    with transaction.atomic(durable=True):
        details = (LetterDetails.objects.select_for_update().order_by("pk").first()
                   or LetterDetails.current())
        diff = {k: {"old": getattr(details, k), "new": v} for k, v in changes.items()
                if k in DETAIL_FIELDS and getattr(details, k) != v}
        if diff:
            for key, change in diff.items():
                setattr(details, key, change["new"])
            details.save()
            record("letter_details_changed", actor=user, object_type="letter_details",
                   object_ref=str(details.pk), why=why, details=diff)
    return details


class DateRefused(ValueError):
    """The date a change is to start on cannot be used."""


def set_auto_send(user, *, rules: dict[str, list[str]], effective_from: datetime.date,
                  note: str, today: datetime.date):
    """Add a policy version from `effective_from` (today or later) that sends these
    communications automatically (engine action -> patch codes, "*" for every patch), the
    rest of the policy as it stands on that date; audited as every policy version is."""
    from .auto import EVERY_PATCH  # auto sends through this module: imported when used

    if not note.strip():
        raise ValueError("Say why the automatic sends change")
    if effective_from < today:
        raise DateRefused("The date must be today or later: sends already made stay as they "
                          "were")
    if PolicyVersion.objects.filter(effective_from=effective_from).exists():
        raise DateRefused(f"A policy version already starts on {effective_from:%-d %B %Y}: "
                          "choose another date")
    allowed = dict(automatable_actions())
    known = set(Patch.objects.values_list("code", flat=True)) | {EVERY_PATCH}
    cleaned: dict[str, list[str]] = {}
    for action, patches in rules.items():
        if action not in allowed:
            raise ValueError(f"'{label(action)}' cannot be sent automatically")
        patches = sorted(set(patches))
        if not patches:
            continue
        if EVERY_PATCH in patches and len(patches) > 1:
            raise ValueError(f"{allowed[action]}: choose every patch or some patches, not both")
        if unknown := [p for p in patches if p not in known]:
            raise ValueError(f"There is no patch {unknown[0]}")
        cleaned[action] = patches
    params = params_in_force(effective_from)
    if params.to_dict()["auto_send"] == cleaned:
        raise ValueError("That is what the policy already sends from that date")
    return add_version(params.replace(auto_send=cleaned), effective_from, actor=user,
                       note=note.strip())
