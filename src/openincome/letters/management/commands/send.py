"""openincome send --as-of DATE --action send_letter_1 [--patch P] [--dry-run]"""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from openincome.ledger.cli_args import code, iso_date
from openincome.ledger.models import Patch
from openincome.ledger.vocab import label
from openincome.letters.bulk import send_for_action
from openincome.letters.models import Template


class Command(BaseCommand):
    help = ("Send the letter or message an action calls for to every tenancy the worklist "
            "recommends it for, and print what was sent per template and channel.")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=iso_date, metavar="DATE",
                            help="default today; only --dry-run may look at another date")
        parser.add_argument("--action", required=True, metavar="ACTION",
                            help="an action a letter or message carries out, e.g. "
                                 "send_letter_1, send_reminder")
        parser.add_argument("--patch", type=code, metavar="P", action="append", default=[],
                            help="only this patch (repeat for more)")
        parser.add_argument("--dry-run", action="store_true",
                            help="print what would be sent; send and save nothing")

    def handle(self, *args, as_of, action, patch, dry_run, **options):
        today = timezone.localdate()
        as_of = as_of or today
        # A real send is dated the day it goes: a letter recorded as sent on another day
        # would start (or skip) the ladder's waits from a day it never went.
        if as_of != today and not dry_run:
            raise CommandError(
                f"a send is made as of today ({today.isoformat()}), not "
                f"{as_of.isoformat()}: use --dry-run to see what another date would send",
                returncode=2)
        actions = sorted(set(Template.objects.exclude(engine_action="")
                             .values_list("engine_action", flat=True)))
        if action not in actions:
            raise CommandError(f"'{action[:40]}' is not an action a letter or message carries "
                               f"out; use one of: {', '.join(actions)}", returncode=2)
        for p in patch:
            if not Patch.objects.filter(code=p).exists():
                raise CommandError(f"no patch called '{p}'", returncode=2)
        bar = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(unit="tenancy", desc="sending", leave=False)
        result = send_for_action(as_of, action, patches=patch, dry_run=dry_run,
                                 progress=bar.update if bar else (lambda n: None))
        if bar:
            bar.close()
        verb = "would send" if dry_run else "sent"
        self.stdout.write(f"{label(action)} as of {as_of.isoformat()}: {result.tenancies} "
                          f"tenancies; {verb}:")
        for (name, channel), count in sorted(result.sent.items()):
            self.stdout.write(f"  {name} by {label(channel).lower()}: {count}")
        if not result.sent:
            self.stdout.write("  nothing")
        for ref, why in result.skipped:
            self.stdout.write(f"  skipped {ref}: {why}")
