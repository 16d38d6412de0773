"""Failed sign-ins: audited, and locked out per account and per address after too many."""

import datetime
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from openincome.audit.models import AuditEvent
from openincome.staff.actions import add_user
from openincome.web import signin
from openincome.web.models import SignInAttempt

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
LOCKED = "There have been too many failed attempts to sign in. Wait"


@pytest.fixture(autouse=True)
def limits(settings):
    """The default limits, stated here so the tests read on their own."""
    settings.SIGNIN_MAX_FAILURES = 5
    settings.SIGNIN_MAX_FAILURES_PER_ADDRESS = 20
    settings.SIGNIN_WINDOW_MINUTES = 15
    settings.SIGNIN_LOCKOUT_MINUTES = 15
    settings.TRUSTED_PROXIES = 0


@pytest.fixture
def olly():
    """An officer with a known password."""
    return add_user("olly", "officer", PASSWORD)


def _sign_in(username, password, address="192.0.2.1", **headers):
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post("/login/", {"username": username, "password": password})
    return client, response


def _summary(response) -> str:
    text = response.content.decode()
    match = re.search(r'govuk-error-summary__list">(.*?)</ul>', text, re.S)
    assert match, "no error summary"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def test_a_successful_sign_in_is_audited_with_the_address_only(olly):
    client, response = _sign_in("olly", PASSWORD)
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="signin_succeeded")
    assert (event.actor, event.object_ref, event.details) == (olly, "olly",
                                                               {"address": "192.0.2.1"})


def test_a_failed_sign_in_is_audited_without_the_password(olly):
    _, response = _sign_in("olly", "wrong-password-typed")
    assert response.status_code == 200
    assert _summary(response) == "Enter a correct username and password"
    event = AuditEvent.objects.get(action="signin_failed")
    assert (event.actor_name, event.object_ref, event.details) == (
        "anonymous", "olly", {"address": "192.0.2.1"})
    assert "wrong-password-typed" not in str(list(AuditEvent.objects.values()))
    assert "wrong-password-typed" not in str(list(SignInAttempt.objects.values()))


def test_an_empty_form_is_not_an_attempt(olly):
    _, response = _sign_in("", "")
    assert "Enter your username" in _summary(response)
    assert "Enter your password" in _summary(response)
    assert not SignInAttempt.objects.exists() and not AuditEvent.objects.filter(
        action__startswith="signin").exists()


@pytest.mark.parametrize("username", ["olly", "OLLY", "nobody-by-this-name"])
def test_five_failures_lock_the_account_even_with_the_right_password(olly, username):
    for i in range(5):
        _, response = _sign_in(username, f"wrong-{i}", address=f"192.0.2.{i + 1}")
        assert _summary(response) == "Enter a correct username and password"
    assert AuditEvent.objects.filter(action="signin_locked_out").count() == 1
    locked = AuditEvent.objects.get(action="signin_locked_out")
    assert locked.details["scope"] == "account"
    # From yet another address, and with the right password: still refused, same words
    # whether or not the account exists.
    password = PASSWORD if username.lower() == "olly" else "anything-at-all"
    client, response = _sign_in(username, password, address="198.51.100.7")
    assert response.status_code == 200
    assert _summary(response).startswith(LOCKED)
    assert "Wait 15 minutes, then try again" in _summary(response)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="signin_refused_locked_out").count() == 1


def test_four_failures_then_success_clears_the_account_count(olly):
    for i in range(4):
        _sign_in("olly", f"wrong-{i}")
    assert _sign_in("olly", PASSWORD)[1].status_code == 302
    for i in range(4):
        _sign_in("olly", f"wrong-again-{i}")
    assert _sign_in("olly", PASSWORD)[1].status_code == 302


def test_failures_from_one_address_lock_the_address_for_every_account(olly):
    for i in range(20):
        _sign_in(f"guess-{i}", "wrong-password", address="203.0.113.9")
    _, response = _sign_in("olly", PASSWORD, address="203.0.113.9")
    assert _summary(response).startswith(LOCKED)
    assert AuditEvent.objects.get(action="signin_locked_out").details["scope"] == "address"
    # Another address is not affected.
    assert _sign_in("olly", PASSWORD, address="203.0.113.10")[1].status_code == 302


def test_a_success_does_not_clear_the_address_count(olly):
    for i in range(19):
        _sign_in(f"guess-{i}", "wrong-password", address="203.0.113.9")
    assert _sign_in("olly", PASSWORD, address="203.0.113.9")[1].status_code == 302
    _sign_in("guess-x", "wrong-password", address="203.0.113.9")
    assert _summary(_sign_in("olly", PASSWORD, address="203.0.113.9")[1]).startswith(LOCKED)


T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


def _minutes(m: float) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=m)


@pytest.mark.parametrize(("failures_at", "check_at", "locked"), [
    ([0, 1, 2, 3, 4], 4.5, True),       # five within the window
    ([0, 1, 2, 3, 4], 18.9, True),      # the lockout runs 15 minutes from the fifth
    ([0, 1, 2, 3, 4], 19.1, False),     # and then ends
    ([0, 1, 2, 3], 4.5, False),         # four are not enough
    ([0, 4, 8, 12, 16], 16.5, False),   # five, but spread over more than the window
    ([0, 3, 6, 9, 12, 15], 15.5, True),  # the last five are within the window
])
def test_lockout_follows_the_window_and_the_lockout_time(failures_at, check_at, locked):
    for m in failures_at:
        signin.sign_in_failed("olly", f"192.0.2.{int(m) + 1}", _minutes(m))
    assert (signin.lockout("olly", "192.0.2.200", _minutes(check_at)) is not None) is locked


def test_limits_come_from_settings(settings, olly):
    settings.SIGNIN_MAX_FAILURES = 2
    _sign_in("olly", "wrong-1")
    _sign_in("olly", "wrong-2")
    assert _summary(_sign_in("olly", PASSWORD)[1]).startswith(LOCKED)


def test_attempts_are_shared_through_the_database_not_a_process_cache(olly):
    # Five failures written as another worker process would write them: rows, nothing else.
    now = timezone.now()
    SignInAttempt.objects.bulk_create(
        SignInAttempt(at=now - datetime.timedelta(seconds=s), username="olly",
                      address="192.0.2.50", outcome=SignInAttempt.FAILED) for s in range(5))
    assert _summary(_sign_in("olly", PASSWORD)[1]).startswith(LOCKED)


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "198.51.100.1", "192.0.2.1"),                  # no proxy: the header is ignored
    (1, "198.51.100.1", "198.51.100.1"),
    (1, "6.6.6.6, 198.51.100.1", "198.51.100.1"),      # the client may forge the left part
    (2, "6.6.6.6, 198.51.100.1, 10.0.0.2", "198.51.100.1"),
])
def test_client_address_trusts_only_the_configured_proxies(settings, rf, proxies, forwarded,
                                                           expected):
    settings.TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert signin.client_address(request) == expected


def test_old_attempts_are_pruned_but_stay_in_the_audit(olly):
    signin.sign_in_failed("olly", "192.0.2.1", _minutes(0))
    signin.sign_in_failed("olly", "192.0.2.1", _minutes(24 * 60))
    assert SignInAttempt.objects.count() == 1
    assert AuditEvent.objects.filter(action="signin_failed").count() == 2
