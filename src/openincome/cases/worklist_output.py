"""The worklist as POLICY.md §7 objects, for JSON, CSV and the terminal."""

from __future__ import annotations

import csv
import io
import json
import re

from django.db.models import F, OuterRef, Subquery

from openincome.ledger.limits import spreadsheet_safe
from openincome.ledger.models import Tenant
from openincome.ledger.pence import decimal_pounds

from .models import WorklistEntry

FIELDS = [
    "tenancy_ref", "as_of", "patch", "tenure", "balance", "arrears", "technical_arrears",
    "actionable_arrears", "weekly_charge", "weeks_owed", "days_in_arrears",
    "days_since_last_payment", "episode_start", "action", "notice_kind", "reasons",
    "blocked_by", "pause", "priority",
]
MONEY = ("balance", "arrears", "technical_arrears", "actionable_arrears", "weekly_charge")
# What makes the CSV a call list: who to ring, where, how they like to be contacted, and
# whether to take care (a flag only: the vulnerability detail stays on the account page).
CALL_LIST = ["name", "address", "phone_numbers", "preferred_channel", "vulnerable"]


def call_list_columns(tenancy: str = "tenancy") -> dict:
    """Annotations of a worklist query with its lead tenant's name and numbers."""
    # The lead first (PostgreSQL sorts an unknown is_lead first when descending: not here).
    lead = Tenant.objects.filter(tenancy=OuterRef(tenancy)).order_by(
        F("is_lead").desc(nulls_last=True), "person_ref")
    return {f"lead_{name}": Subquery(lead.values(name)[:1])
            for name in ("title", "first_name", "last_name", "mobile", "phone")}


def call_values(entry) -> list[str]:
    """The call-list columns of a worklist row annotated with `call_list_columns` (its
    tenancy and property selected)."""
    name = " ".join(p for p in (entry.lead_title, entry.lead_first_name, entry.lead_last_name)
                    if p)
    numbers = [n for n in (entry.lead_mobile, entry.lead_phone) if n]
    return [
        name, entry.tenancy.property.address,
        "; ".join(dict.fromkeys(numbers)),  # one number given as both is called once
        entry.tenancy.get_preferred_channel_display(),
        "yes" if entry.vulnerable else "",
    ]



def entry_object(entry: WorklistEntry) -> dict:
    """One worklist row as the §7 object."""
    obj = {
        "tenancy_ref": entry.tenancy.tenancy_ref,
        "as_of": entry.run.as_of.isoformat(),
        "patch": entry.patch,
        "tenure": entry.tenure,
        **{name: decimal_pounds(getattr(entry, name)) for name in MONEY},
        "weeks_owed": entry.weeks_owed,
        "days_in_arrears": entry.days_in_arrears,
        "days_since_last_payment": entry.days_since_last_payment,
        "episode_start": entry.episode_start.isoformat() if entry.episode_start else None,
        "action": entry.action,
        "notice_kind": entry.notice_kind or None,
        "reasons": entry.reasons,
        "blocked_by": entry.blocked_by,
        "pause": (
            {"reason": entry.pause_reason,
             "until": entry.pause_until.isoformat() if entry.pause_until else None}
            if entry.pause_reason else None
        ),
        "priority": entry.priority,
    }
    return obj


def as_json(objects: list[dict]) -> str:
    """The JSON list of the contract."""
    return json.dumps(objects, indent=2)


# An amount (as the CSV writes it, or as pounds() shows it) is a number to a spreadsheet, not a
# formula, so a negative one keeps its minus sign unprefixed.
_AMOUNT = re.compile(r"-?£?[0-9][0-9,]*(\.[0-9]+)?")


def csv_cell(value: object) -> object:
    """One CSV cell: text a spreadsheet would run as a formula (= + - @) is prefixed with '."""
    if value is None:
        return ""
    if isinstance(value, str) and not _AMOUNT.fullmatch(value):
        return spreadsheet_safe(value)
    return value


def csv_row(values: list) -> list:
    """A CSV row of safe cells (see csv_cell)."""
    return [csv_cell(v) for v in values]


def as_csv(objects: list[dict], calls: dict[str, dict] | None = None) -> str:
    """CSV with one row per tenancy; lists joined by semicolons; with `calls` (call-list
    columns by tenancy reference) it is also a call list."""
    out = io.StringIO()
    fields = FIELDS + CALL_LIST if calls is not None else FIELDS
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for obj in objects:
        row = dict(obj)
        if calls is not None:
            row.update(calls.get(obj["tenancy_ref"], {}))
        row["reasons"] = ";".join(obj["reasons"])
        row["blocked_by"] = ";".join(obj["blocked_by"])
        pause = obj["pause"]
        row["pause"] = f"{pause['reason']} until {pause['until'] or 'lifted'}" if pause else ""
        writer.writerow({k: csv_cell(v) for k, v in row.items()})
    return out.getvalue()


def as_table(objects: list[dict]) -> str:
    """A table for the terminal, its reference and patch columns as wide as their values."""
    ref_w = max([len("tenancy"), *(len(o["tenancy_ref"]) for o in objects)])
    patch_w = max([len("patch"), *(len(o["patch"] or "") for o in objects)])
    head = f"{'priority':>8}  {'tenancy':<{ref_w}}  {'patch':<{patch_w}}  {'actionable':>10} " \
           f"{'weeks':>6}  {'action':<32} reason"
    if not objects:
        return head + "\n(no tenancies to show: --all lists those needing no action too)\n"
    lines = [head]
    for o in objects:
        weeks = "" if o["weeks_owed"] is None else f"{o['weeks_owed']:.2f}"
        reason = o["reasons"][0] if o["reasons"] else ""
        lines.append(
            f"{o['priority']:>8}  {o['tenancy_ref']:<{ref_w}}  {o['patch'] or '':<{patch_w}}  "
            f"{o['actionable_arrears']:>10} {weeks:>6}  {o['action']:<32} {reason}"
        )
    return "\n".join(lines) + "\n"
