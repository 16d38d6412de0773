"""Direct Debit pages (the list, one mandate, setting one up for an account, cancelling, and
closing a task), taking a card payment during a call, and moving a misposted payment.

Thin views: each validates the whole form, then calls one function in `payments.actions`.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from openincome.common.permissions import requires
from openincome.ledger.locks import WriteConflict
from openincome.ledger.pence import pounds
from openincome.payments import actions, queries
from openincome.payments.models import DirectDebitMandate, DirectDebitTask

from ..forms_payments import (
    CancelMandateForm,
    CardPaymentForm,
    ChangeMandateForm,
    CloseTaskForm,
    MandateForm,
    TransferForm,
)
from .account import tenancy_or_404

PAGE_SIZE = 25
SORTS = {"reference": ("reference", "id"), "tenancy": ("tenancy__tenancy_ref", "id"),
         "amount": ("amount", "id"), "created": ("created_at", "id")}
STATUS_FILTERS = {"live": "Live", "cancelled": "Cancelled", "all": "All"}


def _context(request, **extra) -> dict:
    return {"nav": "payments", "can_import": request.user.has_perm("payments.import"),
            "can_dd": request.user.has_perm("payments.direct_debit"), **extra}


@require_safe
@requires("payments.view")
def mandate_list(request):
    """Every Direct Debit mandate (accounts masked), filtered, sorted and paged, with the
    open Direct Debit tasks and the latest Bacs files."""
    key = request.GET.get("sort", "reference")
    key = key if key in SORTS else "reference"
    descending = request.GET.get("dir", "asc") == "desc"
    status = request.GET.get("status", "live")
    status = status if status in STATUS_FILTERS else "live"
    q = request.GET.get("q", "").strip()[:100]
    rows = DirectDebitMandate.objects.select_related("tenancy")
    if status != "all":
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(reference__icontains=q) | Q(tenancy__tenancy_ref__icontains=q)
                           | Q(payer_name__icontains=q))
    fields = SORTS[key]
    rows = rows.order_by(*(f"-{f}" for f in fields) if descending else fields)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(request, "payments/dd_list.html", _context(
        request, page=page, shown=[(m, queries.next_collection(m, today))
                                   for m in page.object_list],
        flt={"sort": key, "descending": descending}, status=status, q=q,
        statuses=STATUS_FILTERS, tasks=list(queries.open_dd_tasks()[:50]),
        files=list(queries.dd_files()[:10])))


def _mandate_or_none(request, item_id: int):
    mandate = (DirectDebitMandate.objects.select_related("tenancy").filter(pk=item_id)
               .first())
    if mandate is None:
        messages.info(request, "That Direct Debit does not exist.")
    return mandate


def _detail(request, mandate, form, status=200, change=None):
    return render(request, "payments/dd_detail.html", _context(
        request, change=change or ChangeMandateForm(prefix="change"),
        earliest=actions.earliest_change(timezone.localdate()), m=mandate,
        next=queries.next_collection(mandate, timezone.localdate()),
        collections=list(queries.collections_of(mandate)[:26]),
        notices=list(queries.notices_of(mandate)[:10]),
        tasks=list(mandate.tasks.order_by("-on", "-id")[:20]), form=form), status=status)


@require_POST
@requires("payments.direct_debit")
def mandate_change(request, item_id: int):
    """Change a mandate's amount from the first collection the notice period allows; the
    payer is sent advance notice."""
    mandate = _mandate_or_none(request, item_id)
    if mandate is None:
        return redirect("dd-list")
    form = ChangeMandateForm(request.POST, prefix="change")
    if form.is_valid():
        try:
            changed = actions.change_mandate(mandate, request.user, as_of=timezone.localdate(),
                                             amount=form.cleaned_data["amount"],
                                             why=form.cleaned_data["why"])
        except actions.DirectDebitError as exc:
            form.add_error("amount", str(exc)[:1].upper() + str(exc)[1:])
        else:
            messages.success(request, f"Direct Debit {changed.reference} changes to "
                             f"{pounds(changed.pending_amount)} from "
                             f"{changed.pending_from.day} {changed.pending_from:%B %Y}. "
                             "Advance notice sent to the payer.")
            return redirect("dd-detail", item_id=mandate.pk)
    return _detail(request, mandate, CancelMandateForm(), status=400, change=form)


@require_safe
@requires("payments.view")
def mandate_detail(request, item_id: int):
    """One mandate: its terms, collections, advance notices and tasks; cancel it."""
    mandate = _mandate_or_none(request, item_id)
    if mandate is None:
        return redirect("dd-list")
    return _detail(request, mandate, CancelMandateForm())


@require_POST
@requires("payments.direct_debit")
def mandate_cancel(request, item_id: int):
    """Cancel a mandate from today (the next AUDDIS lodgement cancels it at the bank)."""
    mandate = _mandate_or_none(request, item_id)
    if mandate is None:
        return redirect("dd-list")
    form = CancelMandateForm(request.POST)
    if form.is_valid():
        try:
            actions.cancel_mandate(mandate, request.user, on=timezone.localdate(),
                                   why=form.cleaned_data["why"])
        except actions.DirectDebitError as exc:
            form.add_error(None, str(exc).capitalize())
        else:
            messages.success(request, f"Direct Debit {mandate.reference} cancelled.")
            return redirect("dd-detail", item_id=mandate.pk)
    return _detail(request, mandate, form, status=400)


@require_http_methods(["GET", "POST"])
@requires("payments.direct_debit")
def mandate_new(request, tenancy_ref: str):
    """Set up a Direct Debit for an account: the account is modulus checked and the payer
    is sent advance notice."""
    tenancy = tenancy_or_404(tenancy_ref)
    today = timezone.localdate()
    form = MandateForm(request.POST if request.method == "POST" else None,
                       initial={"payer_name": "", "how_much": "follow", "frequency": "weekly"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mandate = actions.set_up_mandate(
                tenancy, request.user, payer_name=data["payer_name"],
                sort_code=data["sort_code"], account_number=data["account_number"],
                frequency=data["frequency"], day=data["day"], start_date=data["start"],
                amount=data["pence"], as_of=today)
        except ValueError as exc:
            message = str(exc)
            field = ("account_number" if "sort code and account" in message else
                     "how_much" if "give the amount" in message else None)
            form.add_error(field, message[:1].upper() + message[1:])
        except WriteConflict as exc:
            form.add_error(None, str(exc).capitalize())
        else:
            messages.success(request, f"Direct Debit {mandate.reference} set up: "
                             f"{pounds(mandate.amount)} {mandate.when}, first collection "
                             f"{mandate.start_date.day} {mandate.start_date:%B %Y}. Advance "
                             "notice sent to the payer.")
            return redirect("dd-detail", item_id=mandate.pk)
    weekly = queries.account_amount(tenancy, "weekly", today)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/dd_new.html", _context(
        request, tenancy=tenancy, form=form, weekly=weekly,
        monthly=queries.account_amount(tenancy, "monthly", today),
        earliest=actions.earliest_change(today),
        notice_days=actions.notice_days(today)), status=status)


@require_POST
@requires("payments.direct_debit")
def task_close(request, item_id: int):
    """Mark a Direct Debit task dealt with."""
    task = DirectDebitTask.objects.filter(pk=item_id).first()
    if task is None:
        messages.info(request, "That task does not exist.")
        return redirect("dd-list")
    form = CloseTaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what was done before closing the task.")
    else:
        try:
            actions.close_dd_task(task.pk, request.user, note=form.cleaned_data["note"])
        except actions.DirectDebitError as exc:
            messages.error(request, str(exc).capitalize())
        else:
            messages.success(request, "Task closed.")
    return redirect("dd-list")


@require_http_methods(["GET", "POST"])
@requires("payments.card")
def card_payment(request, tenancy_ref: str):
    """Take a card payment during a call: the amount goes to the provider, which takes the
    card; the approved payment is posted to the account."""
    tenancy = tenancy_or_404(tenancy_ref)
    form = CardPaymentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            card = actions.take_card_payment(tenancy, form.cleaned_data["amount"], request.user,
                                             on=timezone.localdate())
        except actions.CardDeclined as exc:
            form.add_error("amount", f"{exc}. Nothing was taken: ask for another card or try "
                           "again.")
        except ValueError as exc:
            form.add_error("amount", str(exc).capitalize())
        else:
            messages.success(request, f"{pounds(card.amount)} taken by card and posted "
                             f"(provider reference {card.provider_ref}).")
            return redirect("account", tenancy_ref=tenancy.tenancy_ref)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/card.html", _context(
        request, tenancy=tenancy, form=form,
        recent=list(tenancy.card_payments.order_by("-at", "-id")[:5])), status=status)


@require_http_methods(["GET", "POST"])
@requires("payments.allocate")
def transfer(request):
    """Move a misposted payment to the right account: a reversal and a new payment, linked."""
    form = TransferForm(request.POST if request.method == "POST" else None,
                        initial={"transaction_ref": request.GET.get("ref", "")[:64]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        to = queries.tenancy_by_ref(data["to_tenancy"].strip().upper())
        if to is None:
            form.add_error("to_tenancy", "There is no tenancy with that reference")
        else:
            try:
                moved = actions.transfer_payment(data["transaction_ref"].strip(), to,
                                                 request.user, on=timezone.localdate(),
                                                 why=data["why"])
            except (ValueError, actions.PaymentStateError) as exc:
                form.add_error("transaction_ref", str(exc)[:1].upper() + str(exc)[1:])
            else:
                messages.success(request, f"{pounds(moved.amount)} moved to "
                                 f"{to.tenancy_ref}.")
                return redirect("account", tenancy_ref=to.tenancy_ref)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "payments/transfer.html", _context(request, form=form),
                  status=status)
