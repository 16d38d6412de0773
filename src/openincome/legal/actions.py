"""What an officer does on the legal side, in the actions convention of cases/actions.py
(one durable transaction, the tenancy lock, an audit row, the freshness hook).

Gates (issue 16 item 5) are checked in the action, after the lock and before anything is
computed or written, so the web page, the command line and any API are equally bound; a
refusal names its gate. Approvals under delegated authority are not built yet.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import transaction

from openincome.audit.log import record
from openincome.cases.models import Pause
from openincome.cases.queries import pause_is_active
from openincome.cases.tenure import tenure_at
from openincome.ledger.freshness import touched
from openincome.ledger.locks import lock_tenancy
from openincome.ledger.models import Tenancy
from openincome.ledger.vocab import NOTICE_KINDS, label
from openincome.policy.params import SERVICE_METHODS
from openincome.policy.store import params_in_force

from .models import Notice
from .queries import dates_for

# Gate names, as a refusal shows them.
GATES = {
    "breathing_space": "No notice while a Breathing Space runs",
    "dates": "No notice whose dates would be invalid",
    "tenure": "No notice of a kind that does not fit the tenure",
}


class GateRefused(ValueError):
    """An action refused by one of its gates (nothing was written)."""

    def __init__(self, gate: str, why: str) -> None:
        self.gate = gate
        super().__init__(f"{GATES[gate]}: {why}")


def notice_gates(tenancy: Tenancy, *, kind: str, served: datetime.date, method: str,
                 as_of: datetime.date) -> None:
    """Raise GateRefused for the first gate a notice served so would break."""
    policy = params_in_force(served)
    reasons = (policy.breathing_space_standard_reason, policy.breathing_space_mental_health_reason)
    # A notice on rent-arrears grounds served during a moratorium is void (reference §5).
    for pause in Pause.objects.filter(tenancy=tenancy, reason__in=reasons,
                                      start_date__lte=served):
        if pause_is_active(pause, served):
            raise GateRefused("breathing_space", f"a {label(pause.reason).lower()} started on "
                              f"{pause.start_date} and runs on {served}")
    if kind not in NOTICE_KINDS:
        raise GateRefused("dates", f"'{kind}' is not a notice kind")
    if method not in SERVICE_METHODS:
        raise GateRefused("dates", f"'{method}' is not a service method")
    if served > as_of:
        raise GateRefused("dates", f"served on {served}, after today ({as_of}): record a "
                          "notice once it has been served")
    if served < tenancy.start_date or (tenancy.end_date and served >= tenancy.end_date):
        raise GateRefused("dates", f"the tenancy was not running on {served}")
    tenure = tenure_at(tenancy, served, policy)
    fits = policy.notice_kind_for_tenure(tenure)
    if kind != fits:
        should = f"it takes a {label(fits).lower()}" if fits else "the policy gives it none"
        raise GateRefused("tenure", f"the tenancy is {label(tenure).lower()} on {served}: "
                          f"{should}")


def serve_notice(tenancy: Tenancy, user, *, kind: str, served: datetime.date, method: str,
                 as_of: datetime.date) -> Notice:
    """Record a notice served, with its dates computed by POLICY.md §6 (gates first)."""
    with transaction.atomic(durable=True):
        lock_tenancy(tenancy.pk)
        tenancy.refresh_from_db()
        notice_gates(tenancy, kind=kind, served=served, method=method, as_of=as_of)
        dates = dates_for(tenancy, kind=kind, served=served, method=method)
        notice = Notice.objects.create(
            notice_ref=f"NTC-{uuid.uuid4().hex[:12].upper()}", tenancy=tenancy, kind=kind,
            served_date=served, method=method,
            deemed_service_date=dates.deemed_service.date,
            earliest_proceedings_date=dates.earliest_proceedings.date,
            expiry_date=dates.expiry.date,
        )
        record("notice_served", actor=user, object_type="tenancy",
               object_ref=tenancy.tenancy_ref, why=label(kind),
               details={"notice": notice.notice_ref, **dates.as_dict()})
        touched([tenancy.pk], as_of)
    return notice
