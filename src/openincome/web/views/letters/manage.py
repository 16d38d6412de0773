"""Administrators edit templates: the wording, a preview against a real account, and every
version kept."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.common.permissions import requires
from openincome.ledger.models import Patch, Tenancy
from openincome.letters import actions, queries
from openincome.letters.context import build_context
from openincome.letters.forms import DetailsForm, TemplateForm
from openincome.letters.models import LetterDetails
from openincome.letters.render import TemplateError, blocks_html
from openincome.letters.render import render as render_wording
from openincome.policy.store import params_in_force
from openincome.web.forms_letters import AutoSendForm


@require_safe
@requires("letters.edit_templates")
def template_list(request):
    """Every template, with its current version."""
    return render(request, "letters/template_list.html", {
        "nav": "admin", "templates": list(queries.templates().prefetch_related("versions"))})


def _preview(template, subject: str, body: str, ref: str) -> dict:
    """The wording filled in for an account (errors as words, nothing saved)."""
    tenancy = Tenancy.objects.select_related("property").filter(tenancy_ref=ref).first()
    if tenancy is None:
        return {"error": f"There is no tenancy {ref}"} if ref else {}
    tenant = tenancy.tenants.first()
    context = build_context(tenancy, timezone.localdate(), tenant, template.statement)
    try:
        out = render_wording(template.channel, subject, body, context)
    except TemplateError as exc:
        return {"error": str(exc)}
    return {"ref": tenancy.tenancy_ref, "subject": out.subject, "text": out.text,
            "salutation": context["tenant"]["salutation"],
            "html": blocks_html(out.text) if template.channel == "letter" else ""}


@requires("letters.edit_templates")
def template_edit(request):
    """Edit one template (?template=CODE&channel=CHANNEL): save is a new version."""
    template = queries.template_for(request.GET.get("template", ""),
                                    request.GET.get("channel", "letter"))
    if template is None:
        return redirect("letters-templates")
    current = template.current()
    account = (request.POST.get("account") or request.GET.get("account", "")).strip()[:50]
    if request.method == "POST" and "restore" in request.POST:
        number = request.POST.get("restore", "")
        try:
            version = actions.restore_template_version(
                template, request.user, number=int(number) if number.isdigit() else 0)
        except ValueError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"{template.name}: version {number} restored as "
                                      f"version {version.number}.")
        return redirect(request.get_full_path())
    previewing = request.method == "POST" and "preview" in request.POST
    form = TemplateForm(request.POST or None, channel=template.channel,
                        initial={"subject": current.subject, "body": current.body})
    if previewing:
        # The draft is shown, not saved: a missing note is no mistake yet.
        form.fields["note"].required = False
    if request.method == "POST" and form.is_valid() and not previewing:
        data = form.cleaned_data
        try:
            version = actions.edit_template(template, request.user, subject=data["subject"],
                                            body=data["body"], note=data["note"])
        except ValueError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, f"{template.name}: version {version.number} saved.")
            return redirect(request.get_full_path())
    subject, body = ((form.data.get("subject", ""), form.data.get("body", "")) if form.is_bound
                     else (current.subject, current.body))
    shown = request.GET.get("version", "")
    old = template.versions.filter(number=int(shown)).first() if shown.isdigit() else None
    return render(request, "letters/template_edit.html", {
        "nav": "admin", "template": template, "form": form, "account": account,
        "preview": _preview(template, subject, body, account),
        "versions": template.versions.select_related("created_by"), "old": old,
        "current": current,
    }, status=400 if form.is_bound and form.errors else 200)


@requires("letters.edit_templates")
def letter_details(request):
    """The landlord's address, telephone and ways to pay, as every letter gives them."""
    current = LetterDetails.current()
    form = DetailsForm(request.POST or None, initial={
        f: getattr(current, f) for f in actions.DETAIL_FIELDS})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        actions.edit_letter_details(request.user, why=data["why"], changes={
            f: data[f].strip().replace("\r\n", "\n") for f in actions.DETAIL_FIELDS})
        messages.success(request, "Letter details saved: letters from now on use them.")
        return redirect("letters-details")
    return render(request, "letters/details.html", {"nav": "admin", "form": form},
                  status=400 if form.is_bound and form.errors else 200)


def _rules_text(rules: dict, names: dict) -> list[tuple[str, str]]:
    """(communication, "every patch" or its patches) for the page."""
    return [(names.get(action, action),
             "Every patch" if "*" in patches else ", ".join(f"Patch {p}" for p in patches))
            for action, patches in sorted(rules.items(), key=lambda i: names.get(i[0], i[0]))]


@requires("letters.edit_auto_send")
def auto_send(request):
    """What the policy sends automatically after the nightly run, for which patches, and a
    change to it from a date (a new policy version)."""
    today = timezone.localdate()
    automatable = queries.automatable_actions()
    names = {**dict(queries.sendable_actions()), **dict(automatable)}
    patches = list(Patch.objects.order_by("code").values_list("code", flat=True))
    in_force = params_in_force(today).to_dict()["auto_send"]
    form = AutoSendForm(request.POST or None, actions=automatable, patches=patches,
                        initial={f"send_{a}": list(p) for a, p in in_force.items()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = actions.set_auto_send(request.user, rules=form.rules(),
                                            effective_from=data["effective_from"],
                                            note=data["note"], today=today)
        except actions.DateRefused as exc:
            form.add_error("effective_from", str(exc))
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Automatic sends saved: from "
                                      f"{version.effective_from:%-d %B %Y}.")
            return redirect("letters-auto-send")
    return render(request, "letters/auto_send.html", {
        "nav": "admin", "form": form, "today": today,
        "in_force": _rules_text(in_force, names),
        "versions": [(version, _rules_text(rules, names))
                     for version, rules in queries.auto_send_versions()],
    }, status=400 if form.is_bound and form.errors else 200)
