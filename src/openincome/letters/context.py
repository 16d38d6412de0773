"""The one context a template sees: plain strings, numbers, lists and dicts built from a
tenancy as of a date, never a model object (so a template can read nothing else).

Fields: landlord {name, address_lines, phone, email, payment_methods, signature}; tenant
{name, first_name, salutation, address_lines}; tenants (names); tenancy_ref;
payment_reference; property_address; date; balance; arrears; credit; weekly_charge;
in_arrears; ended; charges [{name, amount, frequency}]; agreement {start_date,
starting_balance, instalment, frequency, first_due} or None; notice {kind, served_date,
earliest_proceedings_date} or None; order {outcome, date, instalment, frequency} or None;
hearing {date, place, case_ref} or None; benefits (a sentence or ""); statement {from, to,
opening, closing, closing_words, charges_total, payments_total, payments [{type, amount}],
lines [{date, what, charge, payment, balance}]}.
"""

from __future__ import annotations

import datetime

from openincome.cases.queries import recommendation
from openincome.ledger.models import Landlord, Tenancy, Tenant
from openincome.ledger.pence import pounds
from openincome.ledger.vocab import DEBIT_TYPES, label

from .models import LetterDetails

HEARING_PLACE = "the County Court named on your claim form"


def last_complete_quarter(as_of: datetime.date) -> tuple[str, datetime.date, datetime.date]:
    """The last calendar quarter that ended before `as_of`: ("2026Q3", 1 July, 30 September),
    the quarter `openincome statements --quarter` would issue."""
    q = (as_of.month - 1) // 3  # the quarter before the one holding as_of (0: last year's Q4)
    year = as_of.year if q else as_of.year - 1
    q = q or 4
    start = datetime.date(year, 3 * q - 2, 1)
    end = (datetime.date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1)
           - datetime.timedelta(days=1))
    return f"{year}Q{q}", start, end


def long_date(day: datetime.date | None) -> str:
    """3 December 2026."""
    return f"{day.day} {day:%B %Y}" if day else ""


def landlord_context() -> dict:
    """The landlord's name, address, telephone and ways to pay."""
    details = LetterDetails.current()
    return {
        "name": Landlord.current().name or "Your landlord",
        "address_lines": [x.strip() for x in details.address.splitlines() if x.strip()],
        "phone": details.phone, "email": details.email,
        "payment_methods": [x.strip() for x in details.payment_methods.splitlines()
                            if x.strip()],
        "signature": details.signature,
    }


def address_lines(tenancy: Tenancy, tenant: Tenant | None) -> list[str]:
    """The postal address as the envelope window shows it: the name, then the property."""
    prop = tenancy.property
    lines = [tenant.full_name] if tenant is not None else []
    lines += [x for x in (prop.address_line_1, prop.address_line_2, prop.town, prop.postcode)
              if x]
    return lines


def tenant_context(tenancy: Tenancy, tenant: Tenant | None) -> dict:
    """The addressee: one named tenant (the protocol writes to each), or all of them."""
    if tenant is None:
        names = [t.full_name for t in tenancy.tenants.all()]
        return {"name": " and ".join(names), "first_name": "",
                "salutation": " and ".join(names) or "Tenant",
                "address_lines": address_lines(tenancy, None)}
    formal = " ".join(p for p in (tenant.title, tenant.last_name) if p)
    return {"name": tenant.full_name, "first_name": tenant.first_name,
            "salutation": formal if tenant.title else tenant.full_name,
            "address_lines": address_lines(tenancy, tenant)}


def statement_context(tenancy: Tenancy, since: datetime.date, until: datetime.date) -> dict:
    """Charges and payments from `since` to `until` with the running balance, and the
    payments added up by type."""
    from openincome.ledger.balances import statement

    opening, lines = statement(tenancy, until, since)
    rows, by_type, charged, paid = [], {}, 0, 0
    for line in lines:
        tx = line.transaction
        debit = tx.type in DEBIT_TYPES
        charged += tx.amount if debit else 0
        paid += 0 if debit else -tx.amount
        if not debit:
            by_type[tx.type] = by_type.get(tx.type, 0) - tx.amount
        rows.append({"date": long_date(tx.date), "what": label(tx.type),
                     "charge": pounds(tx.amount) if debit else "",
                     "payment": "" if debit else pounds(-tx.amount),
                     "balance": pounds(line.running_balance)})
    closing = lines[-1].running_balance if lines else opening
    return {
        "from": long_date(since), "to": long_date(until), "opening": pounds(opening),
        "closing": pounds(closing), "closing_words": owed_words(closing),
        "charges_total": pounds(charged), "payments_total": pounds(paid),
        "payments": [{"type": label(k), "amount": pounds(v)} for k, v in sorted(by_type.items())],
        "lines": rows,
    }


def owed_words(balance: int) -> str:
    """'£12.00 owed', '£3.00 in credit' or '£0.00'."""
    if balance > 0:
        return f"{pounds(balance)} owed"
    if balance < 0:
        return f"{pounds(-balance)} in credit"
    return pounds(0)


def _agreement(tenancy: Tenancy, as_of: datetime.date) -> dict | None:
    agreement = (tenancy.agreements.filter(start_date__lte=as_of, status="live")
                 .order_by("-start_date").first())
    if agreement is None:
        return None
    return {"start_date": long_date(agreement.start_date),
            "starting_balance": pounds(agreement.starting_balance),
            "instalment": pounds(agreement.instalment),
            "frequency": label(agreement.frequency).lower(),
            "first_due": long_date(agreement.start_date + datetime.timedelta(days=5))}


def _court(tenancy: Tenancy, as_of: datetime.date) -> tuple[dict | None, dict | None]:
    case = tenancy.court_cases.filter(claim_date__lte=as_of).order_by("-claim_date").first()
    if case is None:
        return None, None
    hearing = None
    if case.hearing_date and case.hearing_date >= as_of and not case.outcome:
        # The court and where in it, when the legal tab recorded them.
        where = ", ".join(x for x in (case.court_name, case.hearing_place) if x)
        hearing = {"date": long_date(case.hearing_date), "place": where or HEARING_PLACE,
                   "case_ref": case.case_ref}
    order = None
    if case.outcome:
        order = {"outcome": label(case.outcome).lower(),
                 "date": long_date(case.outcome_date or case.hearing_date),
                 "instalment": pounds(case.terms_instalment),
                 "frequency": label(case.terms_frequency or "weekly").lower()}
    return hearing, order


def _benefits(tenancy: Tenancy, as_of: datetime.date) -> str:
    claims = tenancy.benefit_claims.filter(status_date__lte=as_of).order_by("-status_date")
    return "; ".join(f"{label(c.benefit)} {label(c.status).lower()} since "
                     f"{long_date(c.status_date)}" for c in claims[:3])


def build_context(tenancy: Tenancy, as_of: datetime.date, tenant: Tenant | None = None,
                  statement: str = "") -> dict:
    """Everything a template may say about this tenancy on `as_of`, as plain values."""
    rec = recommendation(tenancy, as_of)
    balance = rec["balance"]
    notice = tenancy.notices.filter(served_date__lte=as_of).order_by("-served_date").first()
    hearing, order = _court(tenancy, as_of)
    context = {
        "landlord": landlord_context(),
        "tenant": tenant_context(tenancy, tenant),
        "tenants": [t.full_name for t in tenancy.tenants.all()],
        "tenancy_ref": tenancy.tenancy_ref,
        "payment_reference": tenancy.payment_reference or tenancy.tenancy_ref,
        "property_address": tenancy.property.address,
        "date": long_date(as_of),
        "balance": pounds(max(balance, 0)), "credit": pounds(max(-balance, 0)),
        "arrears": pounds(rec["arrears"]), "in_arrears": rec["arrears"] > 0,
        "weekly_charge": pounds(rec["weekly_charge"]),
        "ended": tenancy.end_date is not None and tenancy.end_date <= as_of,
        "charges": [{"name": label(c.charge_code), "amount": pounds(c.amount),
                     "frequency": label(c.frequency).lower()}
                    for c in tenancy.charges.filter(effective_from__lte=as_of)
                    if c.effective_to is None or c.effective_to >= as_of],
        "agreement": _agreement(tenancy, as_of),
        "notice": None if notice is None else {
            "kind": label(notice.kind).lower(), "served_date": long_date(notice.served_date),
            "earliest_proceedings_date": long_date(notice.earliest_proceedings_date)},
        "order": order, "hearing": hearing, "benefits": _benefits(tenancy, as_of),
        "statement": None,
    }
    if statement == "quarter":
        # A calendar quarter that has ended, as the quarterly run issues it.
        _, since, until = last_complete_quarter(as_of)
        context["statement"] = statement_context(tenancy, since, until)
    elif statement:
        since = rec["episode_start"] or as_of - datetime.timedelta(days=364)
        context["statement"] = statement_context(tenancy, since, as_of)
    return context
