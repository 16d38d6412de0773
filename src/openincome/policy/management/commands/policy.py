import datetime
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.cli_args import iso_date
from openincome.policy.actions import add_version
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL
from openincome.policy.models import PolicyVersion
from openincome.policy.params import PolicyParams
from openincome.policy.store import ensure_default, version_in_force

# "default" is POLICY.md version 2; "v1" behaves exactly as version 1 did.
PRESETS = {"default": DEFAULT_POLICY, "v1": POLICY_V1,
           "renters_rights_social": RENTERS_RIGHTS_SOCIAL}


class Command(BaseCommand):
    help = "Show, list and add arrears policy versions (effective-dated)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="show|list|add")
        show = sub.add_parser("show", help="print the version in force")
        show.add_argument("--as-of", type=iso_date, metavar="DATE", help="default today")
        show.add_argument("--format", choices=["text", "json"], default="text")
        sub.add_parser("list", help="list every version with its start date")
        add = sub.add_parser("add", help="add a version starting on a date (audited)")
        add.add_argument("--from", dest="effective_from", required=True, type=iso_date,
                         metavar="DATE")
        source = add.add_mutually_exclusive_group(required=True)
        source.add_argument("--preset", choices=sorted(PRESETS))
        source.add_argument("--file", type=Path, help="a JSON file of parameters to change")
        add.add_argument("--note", default="", help="why the policy changes")

    def handle(self, *args, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_show(self, as_of, format, **_):
        as_of = as_of or datetime.date.today()
        version = version_in_force(as_of)
        if format == "json":
            self.stdout.write(json.dumps(
                {"name": version.name, "effective_from": str(version.effective_from),
                 "params": version.params}, indent=2, sort_keys=True))
            return
        self.stdout.write(f"policy in force on {as_of}: {version.name} "
                          f"(from {version.effective_from})")
        if version.note:
            self.stdout.write(f"note: {version.note}")
        for key, value in sorted(version.params.items()):
            self.stdout.write(f"  {key}: {json.dumps(value, sort_keys=True)}")

    def do_list(self, **_):
        ensure_default()
        for v in PolicyVersion.objects.order_by("effective_from"):
            self.stdout.write(f"{v.effective_from}  {v.name}  {v.note}")

    def do_add(self, effective_from, preset, file, note, **_):
        if preset:
            params = PRESETS[preset]
        else:
            try:
                changes = json.loads(file.read_text(encoding="utf-8"))
                params = PolicyParams.from_dict(
                    changes, fill_from=PolicyParams.from_dict(version_in_force(effective_from)
                                                              .params, fill_from=DEFAULT_POLICY))
            except (OSError, ValueError, TypeError) as exc:
                raise CommandError(f"{file}: {exc}", returncode=2) from None
        try:
            version = add_version(params, effective_from, actor="cli", note=note)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(f"added {version}")
