"""The pre-action protocol's steps (reference §2) and the evidence each finds on the account.

Each step lists what the account already holds that shows it was done (contacts, letters,
income and expenditure, agreements, referrals, benefit claims, recorded actions); where
nothing does, the officer writes a note saying how it was done or why it does not apply.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from openincome.agreements.models import REFERRAL_KINDS, Agreement, IncomeExpenditure, Referral
from openincome.benefits.models import BenefitClaim
from openincome.cases.models import Contact
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.ledger.vocab import label, vulnerability_label
from openincome.letters.models import Communication

# step code -> what the officer confirms (the protocol's words, reference §2).
STEPS = {
    "contact_cause": "Contact made with the tenant and the cause of the arrears discussed",
    "vulnerability": "Vulnerability considered",
    "benefits": "Benefits checked and help offered with claims",
    "dwp_deductions": "DWP deductions (Third Party Deductions or direct payment) considered",
    "affordable_plan": "An affordable repayment plan offered",
    "rent_statements": "Rent statements given",
    "debt_advice": "Free debt advice signposted",
    "adr": "Alternative dispute resolution considered",
}
# How far back evidence is looked for, and how many items a step shows.
LOOK_BACK_DAYS = 730
SHOWN = 5


@dataclass(frozen=True)
class Evidence:
    """One thing on the account that shows a step was done."""

    label: str
    date: datetime.date
    url: str

    def as_dict(self) -> dict[str, str]:
        """JSON-safe, as a completed checklist stores it."""
        return {"label": self.label, "date": self.date.isoformat(), "url": self.url}


def evidence_for(tenancy: Tenancy, as_of: datetime.date) -> dict[str, list[Evidence]]:
    """Step code -> the evidence found on the account up to `as_of`, newest first."""
    since = as_of - datetime.timedelta(days=LOOK_BACK_DAYS)
    ref = tenancy.tenancy_ref
    account = reverse("account", args=[ref])
    found: dict[str, list[Evidence]] = {step: [] for step in STEPS}

    def add(step: str, text: str, day: datetime.date, url: str = account) -> None:
        found[step].append(Evidence(text, day, url))

    for contact in Contact.objects.filter(tenancy=tenancy, date__range=(since, as_of),
                                          outcome__in=("spoke_to_tenant", "promised_to_pay")):
        add("contact_cause", f"{label(contact.channel) or contact.channel.capitalize()} "
            "contact: spoke to the tenant", contact.date)
    actions = RecordedAction.objects.filter(tenancy=tenancy, date__range=(since, as_of))
    for action in actions.filter(code__in=("contact_made", "apa_requested", "statement_sent",
                                           "money_advice_referral")):
        step = {"contact_made": "contact_cause", "apa_requested": "dwp_deductions",
                "statement_sent": "rent_statements",
                "money_advice_referral": "debt_advice"}[action.code]
        add(step, label(action.code), action.date)
    needs = sorted({n for t in tenancy.tenants.all() for n in t.vulnerability_codes})
    if needs:
        add("vulnerability", "Vulnerability recorded: "
            + ", ".join(vulnerability_label(n).lower() for n in needs), as_of,
            reverse("edit-details", args=[ref]))
    for referral in Referral.objects.filter(tenancy=tenancy,
                                            referred_date__range=(since, as_of)):
        step = {"money_advice": "debt_advice", "benefits_advice": "benefits"}.get(
            referral.kind, "vulnerability")
        add(step, f"Referral: {REFERRAL_KINDS.get(referral.kind, referral.kind).lower()}",
            referral.referred_date)
    for claim in BenefitClaim.objects.filter(tenancy=tenancy, status_date__lte=as_of):
        add("benefits", f"{label(claim.benefit)} claim: {label(claim.status).lower()}",
            claim.status_date)
        if claim.benefit == "uc":
            add("dwp_deductions", f"Universal Credit claim: {label(claim.status).lower()}",
                claim.status_date)
    for statement in IncomeExpenditure.objects.filter(tenancy=tenancy, status="completed",
                                                      completed_date__range=(since, as_of)):
        add("affordable_plan", "Income and expenditure completed", statement.completed_date,
            reverse("statement", args=[ref]))
    for agreement in Agreement.objects.filter(tenancy=tenancy,
                                              start_date__range=(since, as_of)):
        add("affordable_plan", f"Repayment agreement {agreement.agreement_ref} "
            f"({label(agreement.status).lower()})", agreement.start_date)
    # Letters as sent: one carrying a rent statement shows statements given; one whose words
    # point to free debt advice (most of the ladder's letters do) shows advice signposted.
    for letter in (Communication.objects.filter(tenancy=tenancy, date__range=(since, as_of))
                   .select_related("version__template")):
        url = reverse("letters-sent-item", args=[ref]) + "?" + urlencode(
            {"ref": letter.reference})
        name = letter.version.template.name
        if letter.version.template.statement or letter.version.template.recorded_code == \
                "statement_sent":
            add("rent_statements", f"{name} sent", letter.date, url)
        if "debt advice" in letter.text.lower():
            add("debt_advice", f"{name} sent, pointing to free debt advice", letter.date, url)
    for items in found.values():
        items.sort(key=lambda e: e.date, reverse=True)
        del items[SHOWN:]
    return found
