"""What the letters pages and commands read: templates, a communication as it would be sent,
which channel it goes by, the account's communications and the failed deliveries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet

from openincome.ledger.models import Tenancy, Tenant
from openincome.policy.models import PolicyVersion

from .context import build_context
from .models import FAILED, Communication, Template, TemplateVersion
from .render import Rendered, render


def templates() -> QuerySet[Template]:
    """Every template, by name."""
    return Template.objects.order_by("name", "channel")


def letter_templates() -> QuerySet[Template]:
    """The letter templates (every communication has a letter; texts and emails are extra)."""
    return Template.objects.filter(channel="letter").order_by("name")


def template_for(code: str, channel: str) -> Template | None:
    """The template of this communication in this channel, if there is one."""
    return Template.objects.filter(code=code, channel=channel).first()


def template_for_action(engine_action: str) -> str | None:
    """The communication (template code) that carries out an engine action, if any."""
    return (Template.objects.filter(engine_action=engine_action, channel="letter")
            .values_list("code", flat=True).first())


def missing_fact(code: str, tenancy: Tenancy, as_of: datetime.date) -> str:
    """Why this communication would say something untrue of the tenancy on `as_of` (no
    hearing to come, no agreement, no order, a tenancy not ended, no credit), or "" when
    the facts it states exist."""
    from openincome.ledger.balances import balance

    from .context import _agreement, _court

    if code in ("hearing_notice", "order_breach"):
        hearing, order = _court(tenancy, as_of)
        if code == "hearing_notice" and hearing is None:
            return "There is no hearing to come on a court case: record the hearing date first"
        if code == "order_breach" and order is None:
            return "There is no court order on this account"
    if code == "agreement_confirmation" and _agreement(tenancy, as_of) is None:
        return "There is no live agreement on this account"
    if code == "agreement_breach" and not tenancy.agreements.filter(
            start_date__lte=as_of).exists():
        return "There is no agreement on this account"
    if code == "former_tenant_arrears" and not (
            tenancy.end_date is not None and tenancy.end_date <= as_of):
        return "The tenancy has not ended: this letter is for former tenants"
    if code == "refund_of_credit" and balance(tenancy, as_of) >= 0:
        return "The account is not in credit: there is nothing to refund"
    return ""


def already_sent(code: str, tenancy: Tenancy, as_of: datetime.date) -> str:
    """Why sending this communication now would repeat one already sent (the same one on the
    same day, or a notice of hearing for the same hearing), or ""."""
    from .context import _court

    sent = Communication.objects.filter(tenancy=tenancy, version__template__code=code)
    if sent.filter(as_of=as_of).exists():
        return "Already sent for this date"
    if code == "hearing_notice":
        hearing, _ = _court(tenancy, as_of)
        # The notice names its hearing's date: one for that date has told the tenant.
        if hearing is not None and sent.filter(text__contains=hearing["date"]).exists():
            return f"A notice of hearing for {hearing['date']} was already sent"
    return ""


def recorded_code(code: str) -> str:
    """The ladder code a communication records when sent ("" when it records none)."""
    return (Template.objects.filter(code=code, channel="letter")
            .values_list("recorded_code", flat=True).first() or "")


def compose(version: TemplateVersion, tenancy: Tenancy, as_of: datetime.date,
            tenant: Tenant | None = None) -> Rendered:
    """One version's communication for one tenant, as it would be sent on `as_of`."""
    template = version.template
    context = build_context(tenancy, as_of, tenant, template.statement)
    return render(template.channel, version.subject, version.body, context)


@dataclass(frozen=True)
class Recipient:
    """Who one copy goes to, by which channel, at which address or number."""

    tenant: Tenant
    channel: str
    to: str
    template: Template


def recipients(code: str, tenancy: Tenancy) -> list[Recipient]:
    """Each named tenant (the protocol writes to each) by the tenancy's preferred channel
    when that template exists and the tenant has the number or address, else by letter."""
    letter = template_for(code, "letter")
    preferred = tenancy.preferred_channel
    out = []
    for tenant in tenancy.tenants.all():
        to = {"sms": tenant.mobile.strip(), "email": tenant.email.strip()}.get(preferred, "")
        other = template_for(code, preferred) if to else None
        if other is not None:
            out.append(Recipient(tenant, preferred, to, other))
        elif letter is not None:
            from .context import address_lines

            out.append(Recipient(tenant, "letter", "\n".join(address_lines(tenancy, tenant)),
                                 letter))
    return out


def breathing_space_running(tenancy: Tenancy, on: datetime.date) -> bool:
    """Whether a Breathing Space holds the debt on this day (nothing about it may be sent)."""
    from openincome.cases.actions import BREATHING_SPACE
    from openincome.cases.queries import pause_is_active

    return any(pause_is_active(p, on) for p in tenancy.pauses.filter(reason__in=BREATHING_SPACE))


def communications(tenancy: Tenancy) -> QuerySet[Communication]:
    """The tenancy's communications, newest first (without the PDFs)."""
    return (tenancy.communications.select_related("version__template", "tenant")
            .defer("pdf").order_by("-date", "-id"))


def open_failures() -> QuerySet[Communication]:
    """Communications that could not be delivered and nobody has dealt with yet."""
    return (Communication.objects.filter(status__in=FAILED, task_closed_at__isnull=True)
            .select_related("tenancy", "tenant", "version__template").defer("pdf")
            .order_by("-status_at", "-id"))


def undelivered(tenancy: OuterRef, as_of: datetime.date) -> Exists:
    """The worklist's "Not delivered" flag: a communication to the tenancy failed for good and
    nobody has said what they did about it."""
    return Exists(Communication.objects.filter(tenancy=tenancy, status__in=FAILED,
                                               task_closed_at__isnull=True))


def open_failures_of(tenancy: Tenancy) -> QuerySet[Communication]:
    """The tenancy's communications that could not be delivered and are not dealt with."""
    return open_failures().filter(tenancy=tenancy)


def sent_automatically(as_of: datetime.date) -> dict[str, int]:
    """What the nightly run for this date sent by itself ("Reminder (text message) by sms":
    n), from its audit row; empty when it sent nothing."""
    from openincome.audit.models import AuditEvent

    event = (AuditEvent.objects.filter(action="automatic_sends", object_ref=str(as_of))
             .order_by("-id").first())
    return dict(event.details.get("sent", {})) if event else {}


def sendable_actions() -> list[tuple[str, str]]:
    """The engine actions a letter or message carries out, with the communication's name."""
    return sorted(Template.objects.filter(channel="letter").exclude(engine_action="")
                  .values_list("engine_action", "name"), key=lambda pair: pair[1])


def bulk_candidates(as_of: datetime.date, engine_action: str, patches: list[str]):
    """The stored worklist rows for `as_of` that recommend this action (None when no worklist
    is stored for the date), highest priority first."""
    from openincome.cases.models import WorklistRun
    from openincome.cases.queries import WorklistFilter, worklist

    run = WorklistRun.objects.filter(as_of=as_of).first()
    if run is None:
        return None
    return list(worklist(run, WorklistFilter(as_of=as_of, tab="every", patches=patches,
                                             action=engine_action)))


def automatable_actions() -> list[tuple[str, str]]:
    """The engine actions that may be sent automatically, with the communication's name: those
    whose letter records a ladder step (anything else would be asked for again every night)."""
    # Named without "(letter)": an automatic send goes by each tenant's channel.
    return sorted(((action, name.removesuffix(" (letter)")) for action, name in
                   Template.objects.filter(channel="letter").exclude(engine_action="")
                   .exclude(recorded_code="").values_list("engine_action", "name")),
                  key=lambda pair: pair[1])


def auto_send_versions() -> list[tuple]:
    """Each policy version, latest first, with its automatic sends (engine action ->
    patches)."""
    return [(v, v.params.get("auto_send") or {}) for v in
            PolicyVersion.objects.select_related("created_by").order_by("-effective_from")]


def selected_by_action(as_of: datetime.date, tenancy_ids: list[int]) -> list[tuple[str, list]]:
    """The stored worklist rows for `as_of` of these tenancies whose action a letter or message
    carries out, grouped by action (in `sendable_actions` order); the rest are left out."""
    from openincome.cases.models import WorklistRun
    from openincome.cases.queries import WorklistFilter, worklist

    run = WorklistRun.objects.filter(as_of=as_of).first()
    if run is None or not tenancy_ids:
        return []
    actions = [action for action, _ in sendable_actions()]
    rows = worklist(run, WorklistFilter(as_of=as_of, tab="every", patches=[])).filter(
        tenancy_id__in=tenancy_ids, action__in=actions)
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.action, []).append(row)
    return [(action, groups[action]) for action in actions if action in groups]
