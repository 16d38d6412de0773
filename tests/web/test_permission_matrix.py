"""The permission matrix: every URL of the project, every role, anonymous, and CSRF.

URLs are discovered, not listed: the test walks `get_resolver().url_patterns` recursively
(skipping Django's own admin at /manage/ and static files), fills each pattern's arguments from
SAMPLES below (a fixture tenancy, a username, a patch code), and checks every pattern. A view
added later is covered without editing this file, unless it takes an argument of a new name:
then the test fails and says which name to add to SAMPLES.

How the test learns about a view (documented here because views must keep to it):

- Accepts POST: read from the view's method decorators (`require_POST`,
  `require_http_methods`, `require_safe`) or a class-based view's methods when present;
  otherwise probed by a POST with an empty body, CSRF off, as a fully privileged user (a
  superuser holding every role): anything but 405 means it accepts POST. **An empty POST must
  be a validation error, never a write**: the probe fails if any row is written.
- Permission: the django-rules permissions (`cases.…`) a view names, found in its decorators'
  closures (`requires("cases.record")`) and in its code (`request.user.has_perm("…")`).
  A view that accepts POST must name at least one, unless it is public (sign in, sign out).
  The decorators' permissions guard every method. A view that *declares* POST (by decorator or
  class) is a write view: every permission named in its code is needed to POST too (so
  `build_worklist`'s inner `cases.run_worklist` check is covered). A view that does not declare
  its methods is often a read view whose code names permissions only to show buttons; POST to
  it is checked against its decorators' permissions. Give read-only views `@require_safe`.

Checks, each per URL pattern:

(a) anonymous GET and POST: a redirect to /login/, or 403/405; never 200 (except /login/) and
    never a write;
(b) for each role, and a signed-in user with no role: where the user lacks a permission the
    view's decorators name, GET is refused (403/405); where they lack a permission needed to
    POST (above), POST is 403, both empty and with the page's own form filled in as the
    privileged user sees it; nothing is written in either case;
(c) with CSRF checks on, a POST without the token is 403, signed in or not.

Then REACH (at the end) states, table-driven, what every role reaches on every page and action,
including another patch's account, and VULNERABILITY what each role sees of a vulnerable
tenant; a page added later fails the test until its row is written.

"Nothing is written" compares the row count of every table (audit events included) except
sessions, before and after; history tables make updates visible as new rows too.
"""

from __future__ import annotations

import inspect
import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
import rules
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from openincome.staff.actions import add_user
from openincome.staff.roles import ROLES

SKIP_PREFIXES = ("manage/", settings.STATIC_URL.lstrip("/"))
# Signing in and out is for everyone; their CSRF protection is still checked.
PUBLIC = {"login", "logout", "favicon"}
# Called by a provider with a bearer token instead of a signed-in form: CSRF-exempt, and
# refused (403) without the token, signed in or not.
TOKEN_CALLBACKS = {"letters-notify-callback"}
# URL argument name -> the sample value (rows made by the `world` fixture).
SAMPLES = {
    "tenancy_ref": "EX-0001",
    "username": "sample_officer",
    "code": "EAST",
    "patch": "EAST",
    "patch_code": "EAST",
    "pause_id": "999999",  # an ended pause on EX-0001 made by `world` (a fixed id on any DB)
    "agreement_ref": "AG-MATRIX",  # a cancelled agreement on EX-0001 made by `world`
    "referral_id": "999998",  # a referral on EX-0001 made by `world`
    "item_id": "999999",  # a payments page's row that does not exist: the page says so
    "statement_id": "999997",  # an income and expenditure statement on EX-0001 made by `world`
    "approval_id": "999997",  # a waiting approval request on EX-0001 made by `world`
    "step": "hearing",  # a court-stage form (EX-0001 has no case: the page says so)
    "kind": "schedule",  # a court document (the rent schedule CSV)
}
PASSWORD = "matrix-test-password"
NO_ROLE = "no_role"
LOGIN = settings.LOGIN_URL


# --- discovering URLs ----------------------------------------------------------------------


def _routes(patterns, prefix: str = ""):
    for entry in patterns:
        route = _route_text(entry.pattern)
        if (prefix + route).startswith(SKIP_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from _routes(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            yield prefix + route, entry


def _route_text(pattern) -> str:
    text = str(pattern)
    if hasattr(pattern, "regex") and not hasattr(pattern, "converters"):
        # A regex pattern (re_path): keep named groups as <name>, drop the anchors.
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text).lstrip("^").rstrip("$")
    return text


ROUTES = sorted(_routes(get_resolver().url_patterns), key=lambda r: r[0])


def _url(route: str) -> str:
    def sample(match):
        name = match.group(1)
        if name not in SAMPLES:
            pytest.fail(f"URL argument '{name}' of /{route} has no sample value: add one to "
                        "SAMPLES in tests/web/test_permission_matrix.py")
        return quote(SAMPLES[name])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", sample, route)


# --- reading a view's decorators -----------------------------------------------------------


def _functions(view):
    """The view and every function it wraps (through closures and __wrapped__)."""
    seen, stack = set(), [view]
    while stack and len(seen) < 100:
        f = stack.pop()
        if id(f) in seen:
            continue
        seen.add(id(f))
        yield f
        view_class = getattr(f, "view_class", None)
        if view_class is not None:
            stack.extend(getattr(view_class, m) for m in ("dispatch", "get", "post")
                         if hasattr(view_class, m))
        if getattr(f, "__wrapped__", None) is not None:
            stack.append(f.__wrapped__)
        stack.extend(v for _, v in _cells(f) if inspect.isfunction(v) or inspect.ismethod(v))


def _cells(f):
    code = getattr(f, "__code__", None)
    for name, cell in zip(code.co_freevars if code else (), getattr(f, "__closure__", None) or (),
                          strict=False):
        try:
            yield name, cell.cell_contents
        except ValueError:  # an empty cell
            continue


def _constants(code):
    for const in code.co_consts:
        if isinstance(const, str):
            yield const
        elif inspect.iscode(const):
            yield from _constants(const)


def decorator_perms(view) -> set[str]:
    """Permissions named in the view's decorators (guarding every method)."""
    return {v for f in _functions(view) for _, v in _cells(f)
            if isinstance(v, str) and rules.perm_exists(v)}


def all_perms(view) -> set[str]:
    """Permissions named anywhere in the view: decorators and its own code."""
    named = set(decorator_perms(view))
    for f in _functions(view):
        code = getattr(f, "__code__", None)
        if code is not None:
            named |= {c for c in _constants(code) if rules.perm_exists(c)}
    view_class = getattr(view, "view_class", None)
    required = getattr(view_class, "permission_required", None)
    if isinstance(required, str):
        named.add(required)
    elif required:
        named |= set(required)
    return named


def declared_methods(view) -> set[str] | None:
    """The methods the view's decorators or class allow, or None if it does not say."""
    allowed = None
    for f in _functions(view):
        for name, value in _cells(f):
            if name == "request_method_list":
                methods = {m.upper() for m in value}
                allowed = methods if allowed is None else allowed & methods
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        methods = {m.upper() for m in view_class.http_method_names if hasattr(view_class, m)}
        allowed = methods if allowed is None else allowed & methods
    return allowed


# --- fixture world -------------------------------------------------------------------------


def _models():
    return [m for m in apps.get_models()
            if m._meta.app_label != "sessions" and m._meta.managed and not m._meta.proxy]


def snapshot() -> dict[str, int]:
    """Row counts of every table but sessions."""
    return {m._meta.label: m._base_manager.count() for m in _models()}


def _changes(before: dict, after: dict) -> dict:
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """A fast hasher: this test signs in many users and checks permissions, not hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(db, example_folder):
    """The example landlord, a user per role, a user with no role and a privileged user."""
    try:
        from openincome.interchange import import_folder
    except ImportError:  # before the importer existed: the rows the samples need
        from tests.ledger.factories import make_tenancy

        make_tenancy("EX-0001", patch="EAST")
    else:
        import_folder(example_folder, actor="test")
    # The default policy is seeded on first use; seed it now so that is not taken for a write.
    from openincome.policy.store import ensure_default

    ensure_default()
    import datetime

    from openincome.cases.models import Pause
    from openincome.ledger.models import Tenancy

    Pause.objects.create(pk=int(SAMPLES["pause_id"]), reason="complaint",
                         tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
                         start_date=datetime.date(2026, 1, 5), end_date=datetime.date(2026, 1, 9))
    from openincome.agreements.models import Agreement

    Agreement.objects.create(agreement_ref=SAMPLES["agreement_ref"], kind="informal",
                             tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
                             start_date=datetime.date(2026, 1, 5), starting_balance=10_000,
                             instalment=500, frequency="weekly", status="cancelled")
    from openincome.agreements.models import Agency, Referral

    Referral.objects.create(pk=int(SAMPLES["referral_id"]), kind="money_advice",
                            agency=Agency.objects.first(), consent=True,
                            tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
                            referred_date=datetime.date(2026, 1, 5))
    from openincome.agreements.models import IncomeExpenditure

    IncomeExpenditure.objects.create(pk=int(SAMPLES["statement_id"]), status="completed",
                                     tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"),
                                     completed_date=datetime.date(2026, 1, 5),
                                     amounts={"wages": 100_000, "food": 30_000})
    # The officer works EAST (EX-0001, EX-0002); EX-0003 is on WEST, another officer's patch.
    users = {role: add_user(f"matrix_{role}", role, PASSWORD,
                            ["EAST"] if role == "officer" else [])
             for role in ROLES}
    add_user(SAMPLES["username"], "officer", PASSWORD, ["EAST"])
    users[NO_ROLE] = get_user_model().objects.create_user("matrix_no_role", password=PASSWORD)
    from openincome.legal.models import Approval

    Approval.objects.create(pk=int(SAMPLES["approval_id"]), escalation="serve_notice",
                            tenancy=Tenancy.objects.get(tenancy_ref="EX-0001"), arrears=0,
                            requested_by=get_user_model().objects.get(
                                username=SAMPLES["username"]),
                            requested_date=datetime.date(2026, 1, 5))
    root = get_user_model().objects.create_superuser("matrix_root", password=PASSWORD)
    root.groups.add(*(Group.objects.get_or_create(name=r)[0] for r in ROLES))
    return {"users": users, "root": root}


def _as(user, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    if user is not None:
        client.force_login(user)
    return client


class _Forms(HTMLParser):
    """The fields of the page's POST forms whose action is the page itself."""

    def __init__(self, url: str):
        super().__init__()
        self.url, self.forms, self.current = url, [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            posts = (a.get("method") or "get").lower() == "post"
            mine = (a.get("action") or self.url) == self.url
            self.current = {} if posts and mine else None
            if self.current is not None:
                self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "select", "textarea"):
            name = a.get("name")
            kind = (a.get("type") or "").lower()
            if not name or name == "csrfmiddlewaretoken" or kind in ("submit", "button"):
                return
            if kind in ("radio", "checkbox"):
                if name not in self.current or "checked" in a:
                    self.current[name] = a.get("value", "on")
            else:
                self.current.setdefault(name, a.get("value", "") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def page_forms(world, url: str) -> list[dict]:
    """The POST forms of a page as the privileged user sees them (a plausible request body)."""
    response = _as(world["root"]).get(url)
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms(url)
    parser.feed(response.content.decode())
    return parser.forms


def accepts_post(world, route: str, view) -> bool:
    """Whether the URL accepts POST (see the module docstring for how this is decided)."""
    declared = declared_methods(view)
    if declared is not None:
        return "POST" in declared
    url = _url(route)
    before = snapshot()
    response = _as(world["root"]).post(url, {})
    changed = _changes(before, snapshot())
    assert not changed, (
        f"an empty POST to {url} by a privileged user wrote rows {changed}: an empty POST must "
        "be a validation error, never a write"
    )
    assert response.status_code != 404, f"{url}: the sample values do not exist"
    return response.status_code != 405


ROUTE_IDS = [route or "(root)" for route, _ in ROUTES]


# --- the checks ----------------------------------------------------------------------------


def test_discovery_finds_the_project_urls():
    routes = {route for route, _ in ROUTES}
    for expected in ("login/", "tenancies/<str:tenancy_ref>/", "admin/users/",
                     "admin/users/<str:username>/", "admin/patches/<str:code>/"):
        assert expected in routes
    assert not any(r.startswith("manage/") for r in routes)


def test_only_sign_in_and_out_declare_post_without_a_permission():
    unguarded = {p.name for _, p in ROUTES
                 if not all_perms(p.callback) and "POST" in (declared_methods(p.callback) or ())}
    assert unguarded <= PUBLIC


def test_only_token_callbacks_are_csrf_exempt():
    exempt = {p.name for _, p in ROUTES
              if any(getattr(f, "csrf_exempt", False) for f in _functions(p.callback))}
    assert exempt <= TOKEN_CALLBACKS


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=ROUTE_IDS)
def test_anonymous_is_sent_to_login(world, route, pattern):
    url = _url(route)
    assert resolve(url).func is pattern.callback
    for method in ("get", "post"):
        before = snapshot()
        response = getattr(_as(None), method)(url, {})
        assert _changes(before, snapshot()) == {}, f"anonymous {method.upper()} {url} wrote"
        if pattern.name in ("login", "favicon"):  # open to all, and they write nothing
            continue
        status = response.status_code
        assert status in (302, 403, 405), f"anonymous {method.upper()} {url} gave {status}"
        if status == 302:
            assert response["Location"].startswith(LOGIN), (
                f"anonymous {method.upper()} {url} redirected to {response['Location']}")


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=ROUTE_IDS)
def test_roles_without_the_permission_are_refused(world, route, pattern):
    if pattern.name in PUBLIC:
        return
    url = _url(route)
    view = pattern.callback
    guard, named = decorator_perms(view), all_perms(view)
    posts = accepts_post(world, route, view)
    if posts:
        assert named, (f"{url} accepts POST but names no permission: protect it with "
                       "requires('cases....') (or require_safe if it only reads)")
    declared = declared_methods(view) is not None
    post_perms = named if declared else guard
    bodies = [{}, *page_forms(world, url)] if posts else []
    problems = []
    for who, user in world["users"].items():
        if any(not user.has_perm(p) for p in guard):
            before = snapshot()
            status = _as(user).get(url).status_code
            if status not in (403, 405):
                problems.append(f"{who}: GET {url} gave {status}, expected 403")
            if changed := _changes(before, snapshot()):
                problems.append(f"{who}: GET {url} wrote {changed}")
        if posts and any(not user.has_perm(p) for p in post_perms):
            for body in bodies:
                before = snapshot()
                status = _as(user).post(url, body).status_code
                if status != 403:
                    problems.append(f"{who}: POST {url} {sorted(body)} gave {status}, "
                                    "expected 403")
                if changed := _changes(before, snapshot()):
                    problems.append(f"{who}: POST {url} wrote {changed} (audit events "
                                    "included)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=ROUTE_IDS)
def test_post_without_csrf_token_is_refused(world, route, pattern):
    url = _url(route)
    if not accepts_post(world, route, pattern.callback):
        return
    default_failure = settings.CSRF_FAILURE_VIEW == "django.views.csrf.csrf_failure"
    for who, user in (("anonymous", None), ("privileged", world["root"])):
        before = snapshot()
        response = _as(user, csrf=True).post(url, {})
        assert response.status_code == 403, f"{who}: POST {url} without a CSRF token"
        if default_failure and pattern.name not in TOKEN_CALLBACKS:
            assert b"Your form has expired" in response.content
        assert _changes(before, snapshot()) == {}


# --- every role's reach, stated ------------------------------------------------------------
#
# The decisions, written down:
# - Officers read and record on ANY patch, not only their own: income teams cover for each
#   other (leave, sickness, a tenant who calls whoever answers). Their worklist opens on their
#   own patches; that is a default view, not a limit on what they may open.
# - Team leaders and managers do what officers do, and build a worklist for a date.
# - Finance reads everything an officer reads (balances, statements, the worklist and its CSV)
#   but records nothing, and sees only THAT a tenant is vulnerable, never which needs.
# - Administrators manage users and patches, read accounts (to check an allocation) and may
#   build a worklist; like finance they record nothing and see the vulnerability flag only.
# - A signed-in user without a role reaches nothing.
#
# "yes": the request gets past the permission check (a page, a redirect, or an empty form's
# validation errors); "no": 403. Anonymous users are sent to sign in (tested above).

WHO = ("officer", "team_leader", "manager", "finance", "admin", NO_ROLE)
OWN, OTHER = "/tenancies/EX-0001", "/tenancies/EX-0003"  # the officer's patch; another patch
REACH = [
    # (what, method, url, "officer team_leader manager finance admin no_role")
    ("home", "get", "/", "yes yes yes yes yes no"),
    ("worklist", "get", "/worklist/", "yes yes yes yes yes no"),
    ("worklist as CSV", "get", "/worklist/?format=csv", "yes yes yes yes yes no"),
    ("build a worklist for a date", "post", "/worklist/build/", "no  yes yes no  yes no"),
    ("work programme", "get", "/worklist/programme/", "yes yes yes yes yes no"),
    ("search", "get", "/search/?q=Elm", "yes yes yes yes yes no"),
    ("tenancy list", "get", "/tenancies/", "yes yes yes yes yes no"),
    ("account on own patch", "get", f"{OWN}/", "yes yes yes yes yes no"),
    ("account on another patch", "get", f"{OTHER}/", "yes yes yes yes yes no"),
    ("contact form, own patch", "get", f"{OWN}/contact/", "yes yes yes no  no  no"),
    ("contact form, another patch", "get", f"{OTHER}/contact/", "yes yes yes no  no  no"),
    ("record a contact, another patch", "post", f"{OTHER}/contact/", "yes yes yes no  no  no"),
    ("record an action", "post", f"{OWN}/action/", "yes yes yes no  no  no"),
    ("pause the case", "post", f"{OWN}/pause/", "yes yes yes no  no  no"),
    ("record a promise to pay", "post", f"{OWN}/promise/", "yes yes yes no  no  no"),
    ("change a trial end date", "post", f"{OWN}/trial/", "yes yes yes no  no  no"),
    ("update benefits", "post", f"{OWN}/benefit/", "yes yes yes no  no  no"),
    ("edit contact details and vulnerabilities", "post", f"{OWN}/details/",
     "yes yes yes no  no  no"),
    ("lift a pause early", "post", f"{OWN}/pauses/999999/lift/", "yes yes yes no  no  no"),
    ("income and expenditure form", "get", f"{OWN}/income-expenditure/",
     "yes yes yes no  no  no"),
    ("save income and expenditure", "post", f"{OWN}/income-expenditure/",
     "yes yes yes no  no  no"),
    ("income and expenditure totals", "post", f"{OWN}/income-expenditure/totals/",
     "yes yes yes no  no  no"),
    ("agree a plan", "post", f"{OWN}/agreements/new/", "yes yes yes no  no  no"),
    ("review a breached agreement", "post", f"{OWN}/agreements/review/",
     "yes yes yes no  no  no"),
    ("cancel an agreement", "post", f"{OWN}/agreements/AG-MATRIX/cancel/",
     "yes yes yes no  no  no"),
    ("refer for support", "post", f"{OWN}/referrals/new/", "yes yes yes no  no  no"),
    ("record a referral's outcome", "post", f"{OWN}/referrals/999998/outcome/",
     "yes yes yes no  no  no"),
    ("referrals to support, the team leads' list", "get", "/referrals/",
     "no  yes yes no  no  no"),
    ("the plan's form", "get", f"{OWN}/agreements/new/", "yes yes yes no  no  no"),
    ("the breached agreement's review", "get", f"{OWN}/agreements/review/",
     "yes yes yes no  no  no"),
    ("cancel an agreement (the form)", "get", f"{OWN}/agreements/AG-MATRIX/cancel/",
     "yes yes yes no  no  no"),
    ("refer for support (the form)", "get", f"{OWN}/referrals/new/", "yes yes yes no  no  no"),
    ("a referral's outcome (the form)", "get", f"{OWN}/referrals/999998/outcome/",
     "yes yes yes no  no  no"),
    ("an income and expenditure statement", "get", f"{OWN}/income-expenditure/999997/",
     "yes yes yes no  no  no"),
    ("serve a notice (check its dates)", "get", f"{OWN}/notice/", "yes yes yes no  no  no"),
    ("serve a notice", "post", f"{OWN}/notice/", "yes yes yes no  no  no"),
    ("pre-action checklist", "get", f"{OWN}/checklist/", "yes yes yes no  no  no"),
    ("complete the pre-action checklist", "post", f"{OWN}/checklist/", "yes yes yes no  no  no"),
    ("record a proportionality assessment", "post", f"{OWN}/assessment/",
     "yes yes yes no  no  no"),
    ("ask for approval", "post", f"{OWN}/approval/", "yes yes yes no  no  no"),
    ("record a possession claim", "post", f"{OWN}/claim/", "yes yes yes no  no  no"),
    ("record a warrant application", "post", f"{OWN}/warrant/", "yes yes yes no  no  no"),
    ("approvals queue", "get", "/approvals/", "yes yes yes no  no  no"),
    ("an approval request", "get", "/approvals/999997/", "yes yes yes no  no  no"),
    ("decide an approval request", "post", "/approvals/999997/", "no  yes yes no  no  no"),
    ("administration home", "get", "/admin/", "no  no  no  no  yes no"),
    ("list users", "get", "/admin/users/", "no  no  no  no  yes no"),
    ("add a user", "post", "/admin/users/add/", "no  no  no  no  yes no"),
    ("edit a user", "post", "/admin/users/sample_officer/", "no  no  no  no  yes no"),
    ("reset a password", "post", "/admin/users/sample_officer/password/", "no  no  no  no  yes no"),
    ("list patches", "get", "/admin/patches/", "no  no  no  no  yes no"),
    ("add a patch", "post", "/admin/patches/add/", "no  no  no  no  yes no"),
    ("edit a patch", "post", "/admin/patches/EAST/", "no  no  no  no  yes no"),
    ("choose and preview a letter or message", "get", f"{OWN}/send/?template=letter_1",
     "yes yes yes no  no  no"),
    ("send a letter or message", "post", f"{OWN}/send/", "yes yes yes no  no  no"),
    ("a letter's PDF before sending", "get", f"{OWN}/send/preview/",
     "yes yes yes no  no  no"),
    ("a sent letter or message", "get", f"{OWN}/communications/", "yes yes yes yes yes no"),
    ("send letters from the worklist", "get", "/letters/bulk/?action=send_letter_1",
     "yes yes yes no  no  no"),
    ("send letters from the worklist: check and send", "post", "/letters/bulk/",
     "yes yes yes no  no  no"),
    ("send the cases ticked on the worklist: check and send", "post",
     "/letters/bulk/selected/", "yes yes yes no  no  no"),
    ("progress of a bulk send", "get", "/letters/bulk/progress/", "yes yes yes no  no  no"),
    ("send the rest of a stalled bulk send", "post", "/letters/bulk/resume/",
     "yes yes yes no  no  no"),
    ("failed deliveries", "get", "/letters/failures/", "yes yes yes no  no  no"),
    ("mark a failed delivery dealt with", "post", "/letters/failures/",
     "yes yes yes no  no  no"),
    # Only GOV.UK Notify, with the callback's bearer token, reports a delivery status.
    ("delivery status callback", "post", "/letters/notify/callback/", "no  no  no  no  no  no"),
    ("outbox of the recording notifier", "get", "/admin/outbox/", "no  yes yes no  yes no"),
    ("letter templates", "get", "/admin/templates/", "no  no  no  no  yes no"),
    ("choose the automatic sends", "post", "/admin/automatic-sends/",
     "no  no  no  no  yes no"),
    ("the landlord's details on letters", "post", "/admin/letter-details/",
     "no  no  no  no  yes no"),
    ("edit a letter template", "post", "/admin/templates/edit/?template=letter_1",
     "no  no  no  no  yes no"),
    ("payment files", "get", "/payments/", "yes yes yes yes yes no"),
    ("upload a payment file", "post", "/payments/import/", "no  no  no  yes no  no"),
    ("one payment file", "get", "/payments/imports/999999/", "yes yes yes yes yes no"),
    ("suspense", "get", "/payments/suspense/", "yes yes yes yes yes no"),
    ("allocate from suspense", "post", "/payments/suspense/999999/", "yes yes yes yes no  no"),
    ("possible duplicates", "get", "/payments/duplicates/", "yes yes yes yes yes no"),
    ("resolve a possible duplicate", "post", "/payments/duplicates/999999/",
     "no  no  no  yes no  no"),
    ("benefits area", "get", "/benefits/", "yes yes yes yes yes no"),
    *((f"benefits work: {slug}", "post", f"{OWN}/benefits/{slug}/", "yes yes yes no  no  no")
      for slug in ("verification", "verification-answer", "request", "request-step", "advance",
                   "chase", "dhp", "dhp-decision", "overpayment", "overpayment-position",
                   "circumstance", "fraud")),
    ("Direct Debits", "get", "/payments/direct-debits/", "yes yes yes yes yes no"),
    ("one Direct Debit", "get", "/payments/direct-debits/999999/", "yes yes yes yes yes no"),
    ("cancel a Direct Debit", "post", "/payments/direct-debits/999999/cancel/",
     "yes yes yes yes no  no"),
    ("change a Direct Debit", "post", "/payments/direct-debits/999999/change/",
     "yes yes yes yes no  no"),
    ("close a Direct Debit task", "post", "/payments/direct-debits/tasks/999999/close/",
     "yes yes yes yes no  no"),
    ("set up a Direct Debit", "get", f"{OWN}/direct-debit/", "yes yes yes yes no  no"),
    ("set up a Direct Debit: save", "post", f"{OWN}/direct-debit/", "yes yes yes yes no  no"),
    ("take a card payment", "post", f"{OWN}/card-payment/", "yes yes yes yes no  no"),
    ("move a payment", "post", "/payments/transfer/", "no  no  no  yes no  no"),
    ("upload an ARUDD or ADDACS report", "post", "/payments/direct-debits/reports/",
     "no  no  no  yes no  no"),
    ("legal tab", "get", f"{OWN}/legal/", "yes yes yes yes yes no"),
    ("a court-stage form", "get", f"{OWN}/legal/step/hearing/", "yes yes yes no  no  no"),
    ("record a court-stage step", "post", f"{OWN}/legal/step/outcome/",
     "yes yes yes no  no  no"),
    ("a court document", "get", f"{OWN}/legal/document/schedule/", "yes yes yes no  no  no"),
    ("the court bundle", "get", f"{OWN}/legal/document/bundle/", "yes yes yes no  no  no"),
    ("hearings to come", "get", "/court/hearings/", "yes yes yes no  no  no"),
    ("evictions and warrants", "get", "/court/evictions/", "yes yes yes no  no  no"),
]  # fmt: skip

# What each role sees of a vulnerable tenant: "detail" (which needs), "flag" (that the tenant
# is vulnerable, nothing more) or "none" (no access to the page at all).
VULNERABILITY = {"officer": "detail", "team_leader": "detail", "manager": "detail",
                 "finance": "flag", "admin": "flag", NO_ROLE: "none"}
NEED = "mental_health"  # a vulnerability code, shown as it is or as a label
NEED_WORDS = (NEED, "mental health")


def _reach(response) -> str:
    if response.status_code == 403:
        return "no"
    assert response.status_code in (200, 302, 400), response.status_code
    if response.status_code == 302:
        assert not response["Location"].startswith(LOGIN)
    return "yes"


@pytest.fixture
def reach_world(world):
    """The world with a vulnerable tenant on EX-0001 and a worklist for today."""
    from django.utils import timezone

    from openincome.cases.nightly import run_nightly
    from openincome.ledger.models import Tenant

    Tenant.objects.filter(tenancy__tenancy_ref="EX-0001").update(vulnerabilities=NEED)
    run_nightly(timezone.localdate())  # the pages show today's worklist by default
    return world


def test_every_page_and_action_is_stated_for_every_role():
    stated = {url.split("?")[0].rstrip("/") for _, _, url, _ in REACH}
    samples = {_url(route).rstrip("/") for route, p in ROUTES if p.name not in PUBLIC}
    missing = {s for s in samples if s not in stated}
    assert not missing, f"state every role's reach of {sorted(missing)} in REACH"
    for what, _, _, row in REACH:
        assert len(row.split()) == len(WHO), what


@pytest.mark.parametrize(("what", "method", "url", "row"), REACH, ids=[r[0] for r in REACH])
def test_each_role_reaches_exactly_what_the_table_says(reach_world, what, method, url, row):
    expected = dict(zip(WHO, row.split(), strict=True))
    users = reach_world["users"]
    actual = {who: _reach(getattr(_as(users[who]), method)(url, {} if method == "post" else None))
              for who in WHO}
    assert actual == expected


@pytest.mark.parametrize("who", WHO)
def test_vulnerability_detail_is_shown_only_to_the_income_team(reach_world, who):
    client = _as(reach_world["users"][who])
    seen = VULNERABILITY[who]
    pages = {"account": client.get(f"{OWN}/"), "worklist": client.get("/worklist/"),
             "worklist CSV": client.get("/worklist/?format=csv"),
             "contact form": client.get(f"{OWN}/contact/")}
    for page, response in pages.items():
        if response.status_code == 403:
            continue
        text = response.content.decode().lower()
        shows_need = any(w in text for w in NEED_WORDS)
        if seen != "detail":
            assert not shows_need, f"{who} sees the tenant's needs on the {page}"
        if seen == "detail" and page in ("account", "contact form"):
            assert shows_need, f"{who} does not see the tenant's needs on the {page}"
        if page in ("account", "worklist", "worklist CSV"):
            assert "vulnerable" in text, f"{who} is not told the tenant is vulnerable ({page})"
    if seen == "none":
        assert pages["account"].status_code == 403
