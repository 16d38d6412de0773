import datetime
import re

from django.core.management.base import BaseCommand, CommandError

from openincome.benefits.actions import (
    EVENT_DATES,
    record_claim_status,
    record_verification,
    request_payment,
)
from openincome.benefits.queries import (
    claim_follow_ups,
    claim_story,
    dhp_awaiting,
    first_year_claims,
    open_verifications,
    payment_requests,
)
from openincome.ledger.cli_args import iso_date, ref
from openincome.ledger.limits import text_problem
from openincome.ledger.vocab import BENEFIT_STATUSES, label
from openincome.policy.store import params_in_force


class Command(BaseCommand):
    help = ("Record a benefit claim's status from a date, or print its story; record a UC "
            "verification request or an APA or deduction request; list the benefits work due.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True,
                                    metavar="record|show|verification|request|due")
        rec = sub.add_parser("record", help="record the claim's status from a date (audited)")
        rec.add_argument("claim_ref", type=ref, metavar="CLAIM_REF")
        rec.add_argument("--status", required=True, choices=BENEFIT_STATUSES,
                         help="; ".join(f"{s}: {label(s).lower()}" for s in BENEFIT_STATUSES))
        rec.add_argument("--date", required=True, type=iso_date, metavar="DATE",
                         help="the day the claim took this status")
        rec.add_argument("--note", default="", help="why, or what was said")
        for key, words in EVENT_DATES.items():
            rec.add_argument(f"--{key.replace('_', '-')}", dest=key, type=iso_date,
                             metavar="DATE", help=f"the {words} date, if known")
        show = sub.add_parser("show", help="print the claim's story and its status on a date")
        show.add_argument("claim_ref", type=ref, metavar="CLAIM_REF")
        show.add_argument("--as-of", type=iso_date, metavar="DATE", help="default today")
        ver = sub.add_parser("verification", help="a UC housing-cost verification request")
        ver.add_argument("claim_ref", type=ref, metavar="CLAIM_REF")
        ver.add_argument("--received", required=True, type=iso_date, metavar="DATE")
        ver.add_argument("--due", required=True, type=iso_date, metavar="DATE")
        ver.add_argument("--note", default="")
        req = sub.add_parser("request", help="a managed payment (APA) or deduction request")
        req.add_argument("claim_ref", type=ref, metavar="CLAIM_REF")
        req.add_argument("--kind", required=True, choices=("apa", "tpd"),
                         help="apa: managed payment; tpd: third-party deduction for arrears")
        req.add_argument("--date", required=True, type=iso_date, metavar="DATE")
        req.add_argument("--amount", default="", metavar="POUNDS",
                         help="a deduction's amount a month, like 15.75")
        req.add_argument("--note", default="")
        due = sub.add_parser("due", help="the Benefits area's lists on a date, with counts")
        due.add_argument("--as-of", type=iso_date, metavar="DATE", help="default today")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_record(self, claim_ref, status, date, note, **options):
        if problem := text_problem(note, 2000):
            raise CommandError(f"--note {problem}", returncode=2)
        today = datetime.date.today()
        if date > today:
            raise CommandError(f"--date {date} is in the future: record a status once it is "
                               "known", returncode=2)
        dates = {k: options.get(k) for k in EVENT_DATES if options.get(k) is not None}
        try:
            event = record_claim_status(claim_ref, "cli", status=status, date=date, note=note,
                                        as_of=today, **dates)
        except ValueError as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        self.stdout.write(f"{claim_ref}: {label(event.status).lower()} from {event.date}")

    def do_show(self, claim_ref, as_of, **_):
        as_of = as_of or datetime.date.today()
        story = claim_story(claim_ref, as_of)
        if story is None:
            raise CommandError(f"no claim with reference '{claim_ref}'", returncode=2)
        known = (f"{label(story.known.status).lower()} since {story.known.date}"
                 if story.known else "not yet made")
        self.stdout.write(f"{claim_ref} ({label(story.claim.benefit)}, tenancy "
                          f"{story.claim.tenancy.tenancy_ref}): on {as_of} {known}")
        for step in story.steps:
            dates = ", ".join(f"{words} {step.dates[k]}" for k, words in EVENT_DATES.items()
                              if step.dates.get(k))
            self.stdout.write(f"  {step.date}  {label(step.status).lower():<12} "
                              f"{step.by}{'; ' + dates if dates else ''}"
                              f"{'; ' + step.note if step.note else ''}")

    def _saved(self, do, what: str) -> None:
        try:
            do()
        except ValueError as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        self.stdout.write(what)

    def do_verification(self, claim_ref, received, due, note, **_):
        if problem := text_problem(note, 2000):
            raise CommandError(f"--note {problem}", returncode=2)
        self._saved(lambda: record_verification(claim_ref, "cli", received=received, due=due,
                                                note=note, as_of=datetime.date.today()),
                    f"{claim_ref}: verification received {received}, due {due}")

    def do_request(self, claim_ref, kind, date, amount, note, **_):
        if problem := text_problem(note, 2000):
            raise CommandError(f"--note {problem}", returncode=2)
        pence = None
        if amount:
            if not re.fullmatch(r"\d{1,7}(\.\d{1,2})?", amount):
                raise CommandError(f"--amount {amount!r} is not an amount in pounds, like "
                                   "15.75", returncode=2)
            whole, _, frac = amount.partition(".")
            pence = int(whole) * 100 + int(frac.ljust(2, "0") or 0)
        self._saved(lambda: request_payment(claim_ref, "cli", kind=kind, requested=date,
                                            amount=pence, note=note,
                                            as_of=datetime.date.today()),
                    f"{claim_ref}: {label(kind) if kind == 'tpd' else 'APA'} requested {date}")

    def do_due(self, as_of, **_):
        as_of = as_of or datetime.date.today()
        policy = params_in_force(as_of)
        weeks = policy.benefit_request_chase_weeks
        verifications = list(open_verifications(as_of))
        requests = payment_requests(as_of, weeks, open_only=True)
        chases = [s for s in requests if s.chase]
        first = first_year_claims(as_of, policy)
        dhp = list(dhp_awaiting(as_of))
        follow = claim_follow_ups(as_of)
        self.stdout.write(f"Benefits work on {as_of}: {len(verifications)} verifications due, "
                          f"{len(requests)} APA and deduction requests awaiting payment "
                          f"({len(chases)} to chase), {len(first)} new UC claims in their "
                          f"first year, {len(dhp)} DHP decisions due, {len(follow)} claim "
                          "follow-ups")
        for v in verifications:
            self.stdout.write(f"  verification  {v.claim.tenancy.tenancy_ref}  "
                              f"{v.claim.claim_ref}  due {v.due_date}")
        for c in chases:
            r = c.request
            self.stdout.write(f"  chase {r.kind:<6}  {r.claim.tenancy.tenancy_ref}  "
                              f"{r.claim.claim_ref}  requested {r.requested_date}")

