"""Throttling and auditing sign-ins: a lockout after repeated failures per account and address.

The attempts live in the database (web.SignInAttempt), not a per-process cache, so every
gunicorn worker sees the same count. Settings (from the environment, see settings.py):
SIGNIN_MAX_FAILURES per account and SIGNIN_MAX_FAILURES_PER_ADDRESS per client address within
SIGNIN_WINDOW_MINUTES lock that account or address for SIGNIN_LOCKOUT_MINUTES. A successful
sign-in clears the account's failures, never the address's (one valid account must not let an
address keep guessing others). The lockout applies to any username typed, so it never tells
whether an account exists. The audit trail records every attempt: username and address only.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction

from openincome.audit.log import record

from .models import SignInAttempt

ACCOUNT, ADDRESS = "account", "address"


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SIGNIN_WINDOW_MINUTES)


def _lockout() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SIGNIN_LOCKOUT_MINUTES)


def normal_username(username: str) -> str:
    """The username as the throttle counts it: lower case, at most 150 characters."""
    return username.strip().lower()[:150]


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the trusted proxies' X-Forwarded-For entry."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    hops = settings.TRUSTED_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                     if a.strip()]
        # Each trusted proxy appends the address it saw; entries further left can be forged.
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address[:45]


def _locked_until(times: list[datetime.datetime], limit: int) -> datetime.datetime | None:
    """When a lockout from these failure times ends (None if they never reached the limit).

    A lockout starts at the failure that makes `limit` failures within the window.
    """
    if limit < 1:
        return None
    until = None
    for i in range(limit - 1, len(times)):
        if times[i] - times[i - limit + 1] <= _window():
            until = times[i] + _lockout()
    return until


def _failures(now: datetime.datetime, **where) -> list[datetime.datetime]:
    since = now - _window() - _lockout()
    return list(SignInAttempt.objects.filter(outcome=SignInAttempt.FAILED, at__gt=since,
                                             at__lte=now, **where)
                .order_by("at").values_list("at", flat=True))


def lockout(username: str, address: str,
            now: datetime.datetime) -> tuple[str, datetime.datetime] | None:
    """(scope, until) when this account or address is locked out at `now`, else None."""
    username = normal_username(username)
    last_success = (SignInAttempt.objects
                    .filter(username=username, outcome=SignInAttempt.SUCCEEDED, at__lte=now)
                    .order_by("-at").values_list("at", flat=True).first())
    account_times = [t for t in _failures(now, username=username)
                     if last_success is None or t > last_success]
    found = []
    for scope, times, limit in ((ACCOUNT, account_times, settings.SIGNIN_MAX_FAILURES),
                                (ADDRESS, _failures(now, address=address),
                                 settings.SIGNIN_MAX_FAILURES_PER_ADDRESS)):
        until = _locked_until(times, limit)
        if until is not None and until > now:
            found.append((scope, until))
    return max(found, key=lambda f: f[1]) if found else None


def _attempt(username: str, address: str, outcome: str, now: datetime.datetime) -> None:
    SignInAttempt.objects.create(at=now, username=normal_username(username), address=address,
                                 outcome=outcome)
    # Older attempts can no longer lock anyone out; the audit trail keeps them all.
    SignInAttempt.objects.filter(at__lt=now - 2 * (_window() + _lockout())).delete()


def signed_in(user, address: str, now: datetime.datetime) -> None:
    """Record a successful sign-in (it clears the account's failures), audited."""
    with transaction.atomic():
        _attempt(user.get_username(), address, SignInAttempt.SUCCEEDED, now)
        record("signin_succeeded", actor=user, object_type="user",
               object_ref=user.get_username(), details={"address": address})


def sign_in_failed(username: str, address: str, now: datetime.datetime) -> None:
    """Record a failed sign-in (wrong password or no such user), audited; may lock out."""
    with transaction.atomic():
        _attempt(username, address, SignInAttempt.FAILED, now)
        record("signin_failed", actor="anonymous", object_type="user",
               object_ref=normal_username(username)[:100], details={"address": address})
        locked = lockout(username, address, now)
        if locked is not None:
            scope, until = locked
            record("signin_locked_out", actor="anonymous", object_type="user",
                   object_ref=normal_username(username)[:100],
                   details={"address": address, "scope": scope, "until": until.isoformat()})


def refused(username: str, address: str, now: datetime.datetime) -> None:
    """Record an attempt refused during a lockout (the password was not checked), audited."""
    with transaction.atomic():
        _attempt(username, address, SignInAttempt.REFUSED, now)
        record("signin_refused_locked_out", actor="anonymous", object_type="user",
               object_ref=normal_username(username)[:100], details={"address": address})
