"""The payments pages: import history, upload a file, suspense and allocation, possible
duplicates and their resolution. Thin: each reads through `queries` and changes through one
action; a form is validated whole first and nothing is saved when it has errors."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from openincome.common.permissions import requires
from openincome.interchange.errors import ImportFailed, report_lines
from openincome.ledger.balances import balance
from openincome.ledger.locks import WriteConflict
from openincome.ledger.pence import pounds

from . import actions, queries
from .forms import AllocateForm, BacsReportForm, ResolveForm, UploadForm
from .parsers import REGISTRY

PAGE_SIZE = 25
ERRORS_SHOWN = 100


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _sort(request) -> tuple[str, dict]:
    """The list's sort from the query (`sort`, `dir`), defaulting to the latest first."""
    key = request.GET.get("sort", "date")
    key = key if key in queries.SORTS else "date"
    descending = request.GET.get("dir", "desc" if key == "date" else "asc") == "desc"
    return ("-" if descending else "") + key, {"sort": key, "descending": descending}


def _context(request, **extra) -> dict:
    return {"nav": "payments", "can_import": request.user.has_perm("payments.import"),
            "can_allocate": request.user.has_perm("payments.allocate"),
            "can_suspense": request.user.has_perm("payments.suspense"), **extra}


@require_safe
@requires("payments.view")
def history(request):
    """Every payment file imported, latest first, with what is waiting for finance."""
    return render(request, "payments/history.html", _context(
        request, page=_page(request, queries.import_history()),
        suspense_count=queries.suspense_items().count(),
        suspense_total=queries.suspense_balance(), held_count=queries.held_items().count()))


def _safe_name(name: str) -> str:
    """The uploaded file's own name, reduced to safe characters (shown in errors)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._")
    return cleaned[:120] or "upload"


@require_http_methods(["GET", "POST"])
@requires("payments.import")
def upload(request):
    """Upload a payment file: its problems (nothing posted), or its summary."""
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload_file = data["file"]
        with tempfile.TemporaryDirectory(prefix="oi-payments-") as folder:
            path = Path(folder) / _safe_name(upload_file.name)
            with path.open("wb") as out:
                for chunk in upload_file.chunks():
                    out.write(chunk)
            try:
                summary = actions.import_payment_file(path, data["source"], actor=request.user,
                                                      mapping=data.get("mapping"))
            except ImportFailed as failed:
                problems = report_lines(failed.errors, ERRORS_SHOWN)
                form.add_error("file", f"The file has {len(failed.errors):,} problem"
                               f"{'s' if len(failed.errors) != 1 else ''}: nothing was posted. "
                               "Correct the file and upload it again.")
            except WriteConflict as exc:
                form.add_error(None, str(exc).capitalize())
            else:
                if summary.seen_before is not None:
                    messages.info(request, "This file was imported before: nothing was posted "
                                  "again.")
                    return redirect("payments-import", item_id=summary.seen_before.pk)
                messages.success(request, f"{summary.rows:,} payments imported: "
                                 f"{summary.posted[0]:,} posted, {summary.suspense[0]:,} to "
                                 f"suspense, {summary.held[0]:,} held as possible duplicates.")
                return redirect("payments-import", item_id=summary.import_id)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/upload.html", _context(
        request, form=form, problems=problems), status=status)


@require_safe
@requires("payments.view")
def import_detail(request, item_id: int):
    """What one import did: the reconciled figures and the rows waiting for finance."""
    run = queries.import_run(item_id)
    if run is None:
        messages.info(request, "That import does not exist.")
        return redirect("payments")
    buckets = [("Posted to accounts", run.posted_count, run.posted_total),
               ("To suspense", run.suspense_count, run.suspense_total),
               ("Held as possible duplicates", run.held_count, run.held_total),
               ("Already imported in an earlier file", run.already_count, run.already_total)]
    waiting = run.payments.exclude(status="posted").order_by("line")
    return render(request, "payments/import.html", _context(
        request, run=run, label=REGISTRY[run.source].label, buckets=buckets,
        reconciled=sum(b[2] for b in buckets) == run.total,
        check=" + ".join(pounds(b[2]) for b in buckets), page=_page(request, waiting)))


@require_safe
@requires("payments.view")
def suspense(request):
    """Payments that matched no tenancy, waiting to be allocated."""
    sort, flt = _sort(request)
    q = request.GET.get("q", "").strip()[:100]
    return render(request, "payments/suspense.html", _context(
        request, page=_page(request, queries.suspense_items(sort, q)), flt=flt, q=q,
        total=queries.suspense_balance()))


@require_http_methods(["GET", "POST"])
@requires("payments.suspense")
def allocate(request, item_id: int):
    """Allocate a suspense payment: search for the tenancy, preview, confirm."""
    payment = queries.payment(item_id)
    if payment is None or payment.status != "suspense":
        messages.info(request, "That payment is no longer in suspense: it may have been "
                      "allocated already.")
        return redirect("payments-suspense")
    q = request.GET.get("q", "").strip()[:100]
    chosen = queries.tenancy_by_ref(request.POST.get("tenancy_ref") or
                                    request.GET.get("tenancy", ""))
    form = AllocateForm(request.POST if request.method == "POST" else None,
                        initial={"tenancy_ref": chosen.tenancy_ref if chosen else ""})
    if request.method == "POST" and form.is_valid():
        if chosen is None:
            form.add_error("tenancy_ref", "Choose the tenancy the payment belongs to")
        else:
            try:
                actions.allocate_suspense(payment.pk, chosen, request.user,
                                          note=form.cleaned_data["note"])
            except actions.PaymentStateError as exc:
                messages.error(request, str(exc).capitalize())
                return redirect("payments-suspense")
            messages.success(request, f"{pounds(payment.amount)} allocated to "
                             f"{chosen.tenancy_ref}.")
            return redirect("payments-suspense")
    today = timezone.localdate()
    preview = None
    if chosen is not None:
        now = balance(chosen, today)
        preview = {"tenancy": chosen, "balance": now, "after": now - payment.amount}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/allocate.html", _context(
        request, payment=payment, q=q, found=queries.find_tenancies(q) if q else None,
        preview=preview, form=form), status=status)


@require_safe
@requires("payments.view")
def duplicates(request):
    """Payments held as possible duplicates, waiting for finance's decision."""
    sort, flt = _sort(request)
    return render(request, "payments/duplicates.html", _context(
        request, page=_page(request, queries.held_items(sort)), flt=flt))


@require_http_methods(["GET", "POST"])
@requires("payments.allocate")
def resolve(request, item_id: int):
    """Confirm (post) or reject a payment held as a possible duplicate."""
    payment = queries.payment(item_id)
    if payment is None or payment.status != "held":
        messages.info(request, "That payment is no longer held: it may have been resolved "
                      "already.")
        return redirect("payments-duplicates")
    form = ResolveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            done = actions.resolve_duplicate(payment.pk, data["decision"], request.user,
                                             note=data["note"])
        except actions.PaymentStateError as exc:
            messages.error(request, str(exc).capitalize())
            return redirect("payments-duplicates")
        whose = payment.tenancy.tenancy_ref if payment.tenancy else ""
        messages.success(request, {
            "confirmed": f"{pounds(done.amount)} posted to {whose}.",
            "suspense": f"{pounds(done.amount)} confirmed and moved to suspense (it matched no "
                        "tenancy).",
            "rejected": f"{pounds(done.amount)} not posted.",
        }[done.status])
        return redirect("payments-duplicates")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/resolve.html", _context(
        request, payment=payment, form=form), status=status)


@require_http_methods(["GET", "POST"])
@requires("payments.import")
def bacs_report(request):
    """Upload an ARUDD or ADDACS report: its problems (nothing changed), or what it did."""
    posted = request.method == "POST"
    form = BacsReportForm(request.POST if posted else None, request.FILES if posted else None)
    problems: list[str] = []
    if posted and form.is_valid():
        upload_file = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory(prefix="oi-bacs-") as folder:
            path = Path(folder) / _safe_name(upload_file.name)
            with path.open("wb") as out:
                for chunk in upload_file.chunks():
                    out.write(chunk)
            try:
                lines = actions.import_bacs_report(path, form.cleaned_data["kind"],
                                                   request.user)
            except ImportFailed as failed:
                problems = report_lines(failed.errors, ERRORS_SHOWN)
                form.add_error("file", f"The report has {len(failed.errors):,} problem"
                               f"{'s' if len(failed.errors) != 1 else ''}: nothing was "
                               "changed.")
            except WriteConflict as exc:
                form.add_error(None, str(exc).capitalize())
            else:
                messages.success(request, " ".join(line.strip() for line in lines) + ".")
                return redirect("dd-list")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/bacs_report.html", _context(
        request, form=form, problems=problems), status=status)
