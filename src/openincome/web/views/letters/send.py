"""The officer's journey: choose a communication, preview it as it will be sent, send it;
and read what was sent."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from openincome.cases.queries import recommendation
from openincome.common.permissions import requires
from openincome.letters import actions, queries
from openincome.letters.forms import ChooseForm, ConfirmForm
from openincome.letters.models import Communication
from openincome.letters.pdf import render_pdf

from ..account import tenancy_or_404, tenancy_vulnerabilities


def _choices(tenancy, as_of) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The communications whose facts exist on the account (offered), and the others with
    why each is not (a letter must never state what is untrue)."""
    offered, not_offered = [], []
    for t in queries.letter_templates():
        why = queries.missing_fact(t.code, tenancy, as_of)
        (not_offered if why else offered).append((t.code, why or t.name))
    names = {t.code: t.name for t in queries.letter_templates()}
    return offered, [(names[c], why) for c, why in not_offered]


def _previews(tenancy, code: str, as_of) -> list[dict]:
    """Each copy as it will be sent: to whom, by which channel, and its text."""
    from openincome.letters.render import blocks_html

    out = []
    for person in queries.recipients(code, tenancy):
        rendered = queries.compose(person.template.current(), tenancy, as_of, person.tenant)
        out.append({"tenant": person.tenant, "channel": person.channel, "to": person.to,
                    "subject": rendered.subject, "text": rendered.text,
                    "html_body": blocks_html(rendered.text) if person.channel == "letter"
                    else "", "version": person.template.current().number})
    return out


@requires("letters.send")
def send(request, tenancy_ref: str):
    """Choose what to send (the recommended communication first), preview it, send it."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    choices, not_offered = _choices(tenancy, today)
    codes = {c for c, _ in choices}
    back = reverse("account", args=[tenancy.tenancy_ref])
    confirm = None
    if request.method == "POST" and "confirm" in request.POST:
        confirm = ConfirmForm(request.POST)
        if confirm.is_valid() and confirm.cleaned_data["template"] in codes:
            code = confirm.cleaned_data["template"]
            again = (confirm.cleaned_data["reason"].strip() if confirm.cleaned_data["again"]
                     else "")
            try:
                items = actions.send_communication(tenancy, request.user, code=code,
                                                   as_of=today, again=again)
            except actions.NothingToSend as refused:
                messages.error(request, str(refused))
                return redirect(back)
            failed = [i for i in items if i.status == "failed"]
            name = dict(choices)[code]
            if failed:
                messages.error(request, f"{name} was saved but could not be handed over for "
                                        "sending: it is listed as a failed delivery.")
            else:
                messages.success(request, f"{name} sent ({len(items)} "
                                          f"{'copy' if len(items) == 1 else 'copies'}). The "
                                          "recommendation below reflects it.")
            return redirect(back)
        if confirm.cleaned_data.get("template") not in codes:
            messages.error(request, queries.missing_fact(
                request.POST.get("template", ""), tenancy, today) or "Select what to send")
            return redirect(reverse("letters-send", args=[tenancy.tenancy_ref]))
    data = request.POST if request.method == "POST" else (
        request.GET if "template" in request.GET else None)
    rec = recommendation(tenancy, today)
    recommended = queries.template_for_action(rec["action"])
    form = ChooseForm(data, choices=choices, initial={"template": recommended})
    previews = []
    status = 200 if confirm is None else 400
    repeat = ""
    if data is not None:
        if form.is_valid():
            previews = _previews(tenancy, form.cleaned_data["template"], today)
            repeat = queries.already_sent(form.cleaned_data["template"], tenancy, today)
        else:
            status = 400
    return render(request, "letters/send.html", {
        "not_offered": not_offered, "repeat": repeat,
        "confirm": confirm or ConfirmForm(),
        "errors_form": confirm if confirm is not None else form,
        "nav": "worklist", "tenancy": tenancy, "form": form, "previews": previews,
        "chosen": form.cleaned_data.get("template") if previews else "",
        "chosen_name": dict(choices).get(form.cleaned_data.get("template", "")
                                         if previews else "", ""),
        "recommended": recommended, "as_of": today,
        "breathing_space": queries.breathing_space_running(tenancy, today),
        "vulnerable": bool(tenancy_vulnerabilities(list(tenancy.tenants.all()))),
    }, status=status)


@require_safe
@requires("letters.send")
def preview_pdf(request, tenancy_ref: str):
    """The letter as it will be printed, for one tenant (nothing is saved)."""
    tenancy = tenancy_or_404(tenancy_ref)
    code, tenant_id = request.GET.get("template", ""), request.GET.get("tenant", "")
    template = queries.template_for(code, "letter")
    if template is None or not tenant_id.isdigit():
        return redirect(reverse("letters-send", args=[tenancy.tenancy_ref]))
    tenant = get_object_or_404(tenancy.tenants, pk=int(tenant_id))
    rendered = queries.compose(template.current(), tenancy, timezone.localdate(), tenant)
    return _pdf_response(render_pdf(rendered.html), f"preview-{code}.pdf")


def _pdf_response(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
@requires("cases.view_cases")
def sent_item(request, tenancy_ref: str):
    """One sent communication: its PDF, or its text on a page."""
    tenancy = tenancy_or_404(tenancy_ref)
    reference = request.GET.get("ref", "")
    if not reference:
        return redirect(reverse("account", args=[tenancy.tenancy_ref]))
    item = Communication.objects.filter(tenancy=tenancy, reference=reference).select_related(
        "version__template", "tenant").first()
    if item is None:
        raise Http404("No such communication on this account")
    if item.pdf and request.GET.get("format") == "pdf":
        return _pdf_response(bytes(item.pdf), f"{item.reference}.pdf")
    from openincome.letters.render import blocks_html

    # A letter's text as the tenant reads it: headings, paragraphs and lists (escaped).
    return render(request, "letters/sent_item.html", {
        "nav": "worklist", "tenancy": tenancy, "item": item,
        "html_body": blocks_html(item.text) if item.channel == "letter" else ""})
