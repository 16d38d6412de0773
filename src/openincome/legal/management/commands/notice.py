import datetime
import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from openincome.ledger.cli_args import code, iso_date, ref
from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import NOTICE_KINDS, label
from openincome.legal.actions import GateRefused, serve_notice
from openincome.legal.dates import METHOD_WORDS, NoticeDates
from openincome.legal.queries import dates_for
from openincome.policy.params import SERVICE_METHODS


class Command(BaseCommand):
    help = "A notice's dates (POLICY.md §6), or record one served."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="dates|serve")
        dates = sub.add_parser("dates", help="print the deemed service, earliest proceedings "
                               "and expiry dates, each with its rule")
        serve = sub.add_parser("serve", help="record a notice served (gates first; audited)")
        for p in (dates, serve):
            p.add_argument("tenancy_ref", type=ref, metavar="TENANCY_REF")
            p.add_argument("--kind", required=True, choices=NOTICE_KINDS,
                           help="; ".join(f"{k}: {label(k).lower()}" for k in NOTICE_KINDS))
            p.add_argument("--served", required=True, type=iso_date, metavar="DATE",
                           help="the day it was handed over, posted or left")
            p.add_argument("--method", required=True, choices=SERVICE_METHODS,
                           help="; ".join(f"{m}: {w}" for m, w in METHOD_WORDS.items()))
        dates.add_argument("--format", choices=("text", "json"), default="text")
        serve.add_argument("--user", required=True, type=code, metavar="USERNAME",
                           help="who served it (an officer, team leader or manager)")

    def handle(self, *args, action, tenancy_ref, **options):
        tenancy = Tenancy.objects.filter(tenancy_ref=tenancy_ref).first()
        if tenancy is None:
            raise CommandError(f"no tenancy with reference '{tenancy_ref}'", returncode=2)
        getattr(self, f"do_{action}")(tenancy, **options)

    def do_dates(self, tenancy, *, kind, served, method, format, **_):
        try:
            dates = dates_for(tenancy, kind=kind, served=served, method=method)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        if format == "json":
            self.stdout.write(json.dumps({"tenancy_ref": tenancy.tenancy_ref,
                                          **dates.as_dict()}, indent=2))
            return
        self.stdout.write(f"{tenancy.tenancy_ref}: {label(kind).lower()} served "
                          f"{METHOD_WORDS[method]} on {served}")
        self._print_dates(dates)

    def do_serve(self, tenancy, *, kind, served, method, user, **_):
        account = get_user_model().objects.filter(username=user, is_active=True).first()
        if account is None:
            raise CommandError(f"no active user '{user}'", returncode=2)
        if not account.has_perm("legal.serve_notice"):
            raise CommandError(f"nothing saved: {user} may not record notices", returncode=2)
        try:
            notice = serve_notice(tenancy, account, kind=kind, served=served, method=method,
                                  as_of=datetime.date.today())
        except GateRefused as exc:
            raise CommandError(f"nothing saved: {exc}", returncode=2) from None
        self.stdout.write(f"{tenancy.tenancy_ref}: {label(kind).lower()} {notice.notice_ref} "
                          f"recorded, served {METHOD_WORDS[method]} on {served}")
        self._print_dates(dates_for(tenancy, kind=kind, served=served, method=method))

    def _print_dates(self, dates: NoticeDates) -> None:
        for words, rule in (("Deemed served", dates.deemed_service),
                            ("Earliest proceedings", dates.earliest_proceedings),
                            ("Expires", dates.expiry)):
            self.stdout.write(f"  {words + ':':<22} {rule.date}  {rule.rule}")
