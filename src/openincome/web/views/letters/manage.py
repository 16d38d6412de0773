"""Administrators edit templates: the wording, a preview against a real account, and every
version kept."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.common.permissions import requires
from openincome.ledger.models import Tenancy
from openincome.letters import actions, queries
from openincome.letters.context import build_context
from openincome.letters.forms import TemplateForm
from openincome.letters.render import TemplateError, blocks_html
from openincome.letters.render import render as render_wording


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
    form = TemplateForm(request.POST or None, channel=template.channel,
                        initial={"subject": current.subject, "body": current.body})
    account = request.GET.get("account", "").strip()[:50]
    if request.method == "POST" and form.is_valid():
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
    return render(request, "letters/template_edit.html", {
        "nav": "admin", "template": template, "form": form, "account": account,
        "preview": _preview(template, subject, body, account),
        "versions": template.versions.select_related("created_by"),
    }, status=400 if form.is_bound and form.errors else 200)
