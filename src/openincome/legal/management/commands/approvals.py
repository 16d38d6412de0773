"""`openincome approvals`: the approvals queue on the command line, and a decision on one
request, through the same action as the web page (`legal.actions.decide_approval`): nobody
decides their own request, and nobody approves above their delegated limit. A refusal exits 2
with nothing saved and says why."""

import argparse
import datetime
import json

from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.limits import printable
from openincome.ledger.pence import pounds
from openincome.legal.actions import LegalError, decide_approval
from openincome.legal.cli.common import acting_user, add_user_option
from openincome.legal.models import APPROVAL_STATUSES, ESCALATION_CHOICES, Approval
from openincome.legal.queries import QUEUE_SORTS, approval_counts, approval_queue

STATUS_LABELS = dict(APPROVAL_STATUSES)
STEP_LABELS = dict(ESCALATION_CHOICES)


def request_id(value: str) -> int:
    """An argparse type for an approval request's number, or exit 2."""
    if not value.isascii() or not value.isdigit() or len(value) > 12 or int(value) == 0:
        raise argparse.ArgumentTypeError(
            f"'{printable(value[:40])}' is not a request number: use the number the list shows, "
            "for example 12")
    return int(value)


def _user(user) -> str:
    return user.get_username() if user else ""


def as_object(a: Approval) -> dict:
    """One request, JSON-safe: codes with their labels, money in pence."""
    return {
        "id": a.pk, "tenancy_ref": a.tenancy.tenancy_ref, "escalation": a.escalation,
        "escalation_label": STEP_LABELS.get(a.escalation, a.escalation),
        "status": a.status, "status_label": STATUS_LABELS.get(a.status, a.status),
        "arrears_pence": a.arrears, "requested_date": a.requested_date.isoformat(),
        "requested_by": _user(a.requested_by), "request_note": a.request_note,
        "decided_date": a.decided_date.isoformat() if a.decided_date else None,
        "decided_by": _user(a.decided_by) or None, "decision_reason": a.decision_reason,
        "used_for": a.used_for,
    }


def as_table(rows: list[Approval]) -> str:
    """The requests as a terminal table, the tenancy column as wide as its values."""
    ref_w = max([len("tenancy"), *(len(a.tenancy.tenancy_ref) for a in rows)])
    head = (f"{'id':>6}  {'requested':<10}  {'tenancy':<{ref_w}}  {'step':<34}  "
            f"{'arrears':>11}  {'status':<22}  by")
    lines = [head]
    for a in rows:
        by = _user(a.requested_by) + (f" (decided: {_user(a.decided_by)})" if a.decided_by
                                      else "")
        lines.append(f"{a.pk:>6}  {a.requested_date.isoformat():<10}  "
                     f"{a.tenancy.tenancy_ref:<{ref_w}}  {STEP_LABELS[a.escalation]:<34}  "
                     f"{pounds(a.arrears):>11}  {STATUS_LABELS[a.status]:<22}  {by}")
    if not rows:
        lines.append("(no requests to show)")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = ("Approvals of legal steps: list the queue with counts, or approve or refuse a "
            "request (never one's own; within one's delegated limit).")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="list|approve|refuse")
        listing = sub.add_parser("list", help="the queue: counts by status, then the requests")
        listing.add_argument("--status", choices=[*STATUS_LABELS, "all"], default="pending",
                             help="; ".join(f"{k}: {v.lower()}" for k, v in STATUS_LABELS.items())
                             + "; all: any (default: pending)")
        listing.add_argument("--step", choices=list(STEP_LABELS), default="",
                             help="; ".join(f"{k}: {v.lower()}" for k, v in STEP_LABELS.items()))
        listing.add_argument("--sort", choices=list(QUEUE_SORTS), default="requested")
        listing.add_argument("--desc", action="store_true", help="newest, last or largest first")
        listing.add_argument("--format", choices=("table", "json"), default="table")
        for name, words in (("approve", "approve a waiting request"),
                            ("refuse", "refuse a waiting request")):
            p = sub.add_parser(name, help=words)
            p.add_argument("approval_id", type=request_id, metavar="ID",
                           help="the request's number (approvals list shows it)")
            add_user_option(p, "who decides (a team leader or manager, not the one who asked)")
            p.add_argument("--reason", required=True, help="the reason for the decision")

    def handle(self, *args, action, **options):
        if action == "list":
            self._list(**options)
        else:
            self._decide(approve=action == "approve", **options)

    def _list(self, *, status, step, sort, desc, format, **_):
        counts = approval_counts()
        rows = list(approval_queue(status=status, step=step, sort=sort, descending=desc))
        if format == "json":
            self.stdout.write(json.dumps({
                "counts": {code: counts.get(code, 0) for code in STATUS_LABELS},
                "requests": [as_object(a) for a in rows]}, indent=2))
            return
        self.stdout.write("; ".join(f"{label}: {counts.get(code, 0)}"
                                    for code, label in STATUS_LABELS.items()))
        self.stdout.write(as_table(rows), ending="")

    def _decide(self, *, approve, approval_id, user, reason, **_):
        item = Approval.objects.select_related("tenancy").filter(pk=approval_id).first()
        if item is None:
            raise CommandError(f"no approval request {approval_id}", returncode=2)
        account = acting_user(user, "legal.decide_approval", "decide approvals")
        today = datetime.date.today()
        try:
            item = decide_approval(item, account, approve=approve, reason=reason, as_of=today)
        except LegalError as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        self.stdout.write(f"approval {item.pk} ({item.tenancy.tenancy_ref}, "
                          f"{STEP_LABELS[item.escalation].lower()} at {pounds(item.arrears)}): "
                          f"{STATUS_LABELS[item.status].lower()} by {user} on {today}")
