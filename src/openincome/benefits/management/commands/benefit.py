import datetime

from django.core.management.base import BaseCommand, CommandError

from openincome.benefits.actions import EVENT_DATES, record_claim_status
from openincome.benefits.queries import claim_story
from openincome.ledger.cli_args import iso_date, ref
from openincome.ledger.limits import text_problem
from openincome.ledger.vocab import BENEFIT_STATUSES, label


class Command(BaseCommand):
    help = "Record a benefit claim's status from a date, or print its story."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="record|show")
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
