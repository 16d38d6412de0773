"""A possession claim's data, ready to key or upload to Possession Claims Online (PCOL), and
the court fee from a dated fee table.

PD 55A para 2.3 says what the particulars hold: the amount due at the start of proceedings,
the daily rent, the steps taken to recover the arrears with the notices' dates, and whether
the defendant receives benefits and whether any are paid to the landlord. `claim_data` gives
each as a labelled value; `claim_csv` writes them as `field,value` rows (one claim per file,
in the order PCOL asks), and the legal tab prints the same as a summary.
"""

from __future__ import annotations

import csv
import datetime
import io
from typing import NamedTuple

from openincome.ledger.balances import balance
from openincome.ledger.models import Landlord
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import label

from .models import CourtCase


class Fee(NamedTuple):
    """A court fee in pence, the day its table came in and where it was published."""

    kind: str
    amount: int
    effective_from: datetime.date
    source: str


# HMCTS fees (EX50), newest first: (in force from, {kind: pence}, source). A new table is a
# new row; past claims keep the fee in force on their day.
FEE_TABLES: tuple[tuple[datetime.date, dict[str, int], str], ...] = (
    (datetime.date(2025, 4, 8),
     {"possession_claim": 40400, "warrant_of_possession": 14800, "n244_on_notice": 31300,
      "n244_without_notice": 11900},
     # (as the project's reference notes quote the EX50; check it when a new one is issued)
     "the HMCTS fee in force from 8 April 2025, from the court fees leaflet EX50"),
)
FEE_NAMES = {
    "possession_claim": "Possession claim (recovery of land)",
    "warrant_of_possession": "Warrant of possession",
    "n244_on_notice": "Application on notice (N244)",
    "n244_without_notice": "Application by consent or without notice (N244)",
}


def court_fee(kind: str, on: datetime.date) -> Fee:
    """The fee for `kind` in force on `on` (ValueError when no table covers it)."""
    if kind not in FEE_NAMES:
        raise ValueError(f"'{kind}' is not a court fee: one of {', '.join(FEE_NAMES)}")
    for start, fees, source in FEE_TABLES:
        if start <= on and kind in fees:
            return Fee(kind, fees[kind], start, source)
    raise ValueError(f"no court fee table covers {on}: add the fees in force then")


def _daily(weekly: int) -> int:
    # PD 55A asks for the daily rate: a week's charges over seven, to the penny.
    return round(weekly / 7)


def claim_data(case: CourtCase) -> list[tuple[str, str]]:
    """The claim's particulars on its claim date as (label, value) pairs, in PCOL's order."""
    from openincome.cases.queries import recommendation
    from openincome.letters.context import landlord_context

    tenancy = case.tenancy
    rec = recommendation(tenancy, case.claim_date)
    landlord = landlord_context()
    tenants = list(tenancy.tenants.all())
    notice = (tenancy.notices.filter(served_date__lte=case.claim_date)
              .order_by("-served_date").first())
    try:
        fee = court_fee("possession_claim", case.claim_date)
        fee_text = f"{pounds(fee.amount)} ({fee.source})"
    except ValueError as exc:
        fee_text = str(exc)
    steps = []
    for code in ("letter_1_sent", "letter_2_sent", "court_warning_sent",
                 "pre_action_checklist_complete", "money_advice_referral"):
        last = (tenancy.actions.filter(code=code, date__lte=case.claim_date)
                .order_by("-date").first())
        if last is not None:
            steps.append(f"{label(code)} {last.date:%d/%m/%Y}")
    agreements = tenancy.agreements.filter(start_date__lte=case.claim_date).count()
    if agreements:
        steps.append(f"{agreements} repayment agreement(s) made")
    claims = tenancy.benefit_claims.filter(status_date__lte=case.claim_date)
    benefits = "; ".join(
        f"{label(c.benefit)} {label(c.status).lower()} since {c.status_date:%d/%m/%Y}"
        + {True: ", paid to the landlord", False: ", paid to the tenant"}.get(
            c.direct_to_landlord, "") for c in claims) or "None known"
    return [
        ("Case reference", case.case_ref),
        ("Claimant", Landlord.current().name or landlord["name"]),
        ("Claimant's address", ", ".join(landlord["address_lines"])),
        ("Defendants", "; ".join(t.full_name for t in tenants) or "None named"),
        ("Property", tenancy.property.address),
        ("Tenancy reference", tenancy.tenancy_ref),
        ("Tenancy type", label(tenancy.tenure)),
        ("Tenancy start date", f"{tenancy.start_date:%d/%m/%Y}"),
        ("Rent and charges a week", pounds(rec["weekly_charge"])),
        ("Daily rent", pounds(_daily(rec["weekly_charge"]))),
        ("Arrears on the claim date", pounds(rec["arrears"])),
        ("Balance on the claim date", pounds(balance(tenancy, case.claim_date))),
        ("Notice", "None recorded" if notice is None else
         f"{label(notice.kind)} {notice.notice_ref} served {notice.served_date:%d/%m/%Y}"
         + (f" ({notice.get_method_display().lower()})" if notice.method else "")),
        ("Notice: proceedings from", f"{notice.earliest_proceedings_date:%d/%m/%Y}"
         if notice and notice.earliest_proceedings_date else ""),
        ("Steps taken to recover the arrears", "; ".join(steps) or "None recorded"),
        ("Benefits", benefits),
        ("Claim date", f"{case.claim_date:%d/%m/%Y}"),
        ("Court fee", fee_text),
    ]


def claim_csv(case: CourtCase) -> str:
    """The claim's particulars as `field,value` CSV rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["field", "value"])
    writer.writerows(claim_data(case))
    return out.getvalue()


def warrant_data(case: CourtCase, as_of: datetime.date) -> list[tuple[str, str]]:
    """What a request for a warrant of possession (N325) states: the order, the breach and
    the arrears outstanding on `as_of`."""
    from openincome.ledger.vocab import DEBIT_TYPES

    tenancy = case.tenancy
    ordered = case.outcome_date or case.hearing_date
    paid = 0
    if ordered is not None:
        credits = tenancy.transactions.filter(date__gt=ordered, date__lte=as_of).exclude(
            type__in=DEBIT_TYPES).values_list("amount", flat=True)
        paid = -sum(credits)
    try:
        fee = court_fee("warrant_of_possession", as_of)
        fee_text = f"{pounds(fee.amount)} ({fee.source})"
    except ValueError as exc:
        fee_text = str(exc)
    terms = (f"{pounds(case.terms_instalment)} {label(case.terms_frequency).lower()} on top of "
             "the rent" if case.terms_instalment else "None")
    return [
        ("Case reference", case.case_ref),
        ("Defendants", "; ".join(t.full_name for t in tenancy.tenants.all()) or "None named"),
        ("Property", tenancy.property.address),
        ("Order", f"{label(case.outcome)} made {ordered:%d/%m/%Y}" if case.outcome and ordered
         else "No order recorded"),
        ("Terms of the order", terms),
        ("Possession date", f"{case.possession_date:%d/%m/%Y}" if case.possession_date else ""),
        ("Balance when the order was made", pounds(balance(tenancy, ordered)) if ordered
         else ""),
        ("Payments since the order", pounds(paid)),
        (f"Arrears outstanding on {as_of:%d/%m/%Y}", pounds(balance(tenancy, as_of))),
        ("Warrant fee", fee_text),
    ]


def warrant_csv(case: CourtCase, as_of: datetime.date) -> str:
    """The N325 data as `field,value` CSV rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["field", "value"])
    writer.writerows(warrant_data(case, as_of))
    return out.getvalue()
