"""Sending from the worklist: pick an action, tick the cases, check the first letter and the
counts, send them all; a progress page follows the job."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.views.decorators.http import require_POST, require_safe

from openincome.common.permissions import requires
from openincome.letters import bulk, queries
from openincome.letters.models import SendJob
from openincome.letters.render import blocks_html
from openincome.staff.queries import officer_patches


def _preview_first(rows, code: str, as_of) -> dict:
    """The first selected case's first copy, as it will be sent."""
    for row in rows:
        people = queries.recipients(code, row.tenancy)
        if people:
            person = people[0]
            out = queries.compose(person.template.current(), row.tenancy, as_of, person.tenant)
            return {"tenancy": row.tenancy, "tenant": person.tenant, "channel": person.channel,
                    "subject": out.subject, "text": out.text,
                    "html": blocks_html(out.text) if person.channel == "letter" else ""}
    return {}


def _counts(rows, code: str, as_of) -> list[tuple[str, int]]:
    """How many copies go by each template and channel, and how many cases are held."""
    counts: Counter = Counter()
    for row in rows:
        if queries.breathing_space_running(row.tenancy, as_of):
            counts["Held: a Breathing Space is running"] += 1
            continue
        for person in queries.recipients(code, row.tenancy):
            counts[f"{person.template.name} by {person.channel}"] += 1
    return sorted(counts.items())


@requires("letters.send")
def bulk_send(request):
    """Choose an action, select its cases from today's worklist, preview and send them."""
    today = timezone.localdate()
    actions = queries.sendable_actions()
    action = request.POST.get("action") or request.GET.get("action", "")
    names = dict(actions)
    if action not in names:
        asked = request.method == "POST" or bool(action) or "choose" in request.GET
        return render(request, "letters/bulk.html", {
            "nav": "worklist", "actions": actions, "as_of": today,
            "error": "Select what to send" if asked else ""}, status=400 if asked else 200)
    patches = officer_patches(request.user)
    rows = queries.bulk_candidates(today, action, patches)
    code = queries.template_for_action(action)
    context = {"nav": "worklist", "actions": actions, "action": action,
               "name": names[action], "as_of": today, "rows": rows, "patches": patches}
    if rows is None:
        return render(request, "letters/bulk.html", context)
    by_id = {str(r.tenancy_id): r for r in rows}
    if request.method == "POST":
        chosen = [by_id[i] for i in request.POST.getlist("tenancy") if i in by_id]
        if not chosen:
            context.update(error="Select at least one case", selected=set())
            return render(request, "letters/bulk.html", context, status=400)
        if "confirm" in request.POST:
            job = bulk.queue_send_job(request.user, as_of=today, code=code,
                                      tenancy_ids=[r.tenancy_id for r in chosen])
            return redirect(reverse("letters-bulk-progress") + f"?job={job.pk}")
        counts = _counts(chosen, code, today)
        context.update(check=True, chosen=chosen, first=_preview_first(chosen, code, today),
                       counts=counts,
                       copies=sum(n for what, n in counts if not what.startswith("Held")),
                       vulnerable=[r.tenancy.tenancy_ref for r in chosen if r.vulnerable])
        return render(request, "letters/bulk.html", context)
    # Back from the check: the cases ticked then stay ticked (the others unticked).
    kept = [i for i in request.GET.getlist("tenancy") if i in by_id]
    context["selected"] = set(kept) if kept else set(by_id)
    return render(request, "letters/bulk.html", context)


# How long a job may wait for a worker before its page says none seems to be running.
NO_WORKER_SECONDS = 30


@require_safe
@requires("letters.send")
def bulk_progress(request):
    """How far a bulk send has got (the bar refreshes itself while the job runs)."""
    job_id = request.GET.get("job", "")
    if not job_id.isdigit():
        return redirect("letters-bulk")
    job = get_object_or_404(SendJob, pk=int(job_id))
    template = ("letters/_bulk_progress.html" if request.GET.get("fragment")
                else "letters/bulk_progress.html")
    waited = (timezone.now() - job.created_at).total_seconds()
    return render(request, template, {
        "nav": "worklist", "job": job, "name": queries.template_for(job.code, "letter"),
        # A failure the task could not write on the job shows all the same.
        "problem": bulk.task_problem(job),
        # Nobody has picked it up: say so, rather than a bar that never moves.
        "no_worker": job.status == "queued" and waited > NO_WORKER_SECONDS,
        # Its worker was killed part way: offer to send the rest.
        "stalled": job.stalled(timezone.now())})


@require_POST
@requires("letters.send")
def bulk_resume(request):
    """Send the rest of a bulk send whose worker stopped part way (a new background task)."""
    job_id = request.POST.get("job", "")
    if not job_id.isdigit():
        return redirect("letters-bulk")
    job = get_object_or_404(SendJob, pk=int(job_id))
    try:
        bulk.resume_send_job(request.user, job, now=timezone.now())
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The rest of the send is queued for the background worker.")
    return redirect(reverse("letters-bulk-progress") + f"?job={job.pk}")


def _worklist_back(query: str) -> str:
    """The worklist view a selection came from (its filters, sort and page), re-encoded."""
    kept = QueryDict(query).urlencode()
    return reverse("worklist") + (f"?{kept}" if kept else "")


@require_POST
@requires("letters.send")
def bulk_selected(request):
    """The cases ticked on today's worklist: each action's first letter and counts to check,
    then one background send per action (the bulk send's job and progress page)."""
    today = timezone.localdate()
    back = _worklist_back(request.POST.get("wl", ""))
    ids = [int(i) for i in request.POST.getlist("tenancy") if i.isdigit()]
    groups = queries.selected_by_action(today, ids)
    if not groups:
        # Its link goes to the worklist's checkboxes, as an error summary's links go to fields.
        messages.error(request, format_html(
            '<a class="govuk-link" href="#select-cases">{}</a>',
            "Select at least one case to send a letter or message to"))
        return redirect(back)
    names = dict(queries.sendable_actions())
    if "confirm" in request.POST:
        jobs = [(names[action], bulk.queue_send_job(
                    request.user, as_of=today, code=queries.template_for_action(action),
                    tenancy_ids=[r.tenancy_id for r in rows]))
                for action, rows in groups]
        progress = reverse("letters-bulk-progress")
        # One job per action: the page follows the first, and names the others with a link.
        for name, job in jobs[1:]:
            messages.info(request, format_html(
                'Also sending {} to {} case{}: <a class="govuk-notification-banner__link" '
                'href="{}?job={}">see its progress</a>', name.lower(), job.total,
                "" if job.total == 1 else "s", progress, job.pk))
        return redirect(f"{progress}?job={jobs[0][1].pk}")
    sections = []
    for action, rows in groups:
        code = queries.template_for_action(action)
        sections.append({"action": action, "name": names[action], "rows": rows,
                         "first": _preview_first(rows, code, today),
                         "counts": _counts(rows, code, today)})
    return render(request, "letters/bulk_selected.html", {
        "nav": "worklist", "as_of": today, "sections": sections, "back": back,
        "wl": request.POST.get("wl", ""), "cases": sum(len(s["rows"]) for s in sections)})
