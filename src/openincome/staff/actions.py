"""Every change to users, their roles and patches, and to patches themselves.

The command line, the admin pages, the import and a future API call these functions, so they
cannot drift apart. Each public action validates first (so a refusal writes nothing), then runs
in its own durable transaction and records an audit event. None calls the freshness hook: no
change here alters what the engine reads for a tenancy (a patch's code never changes here,
and the stored rows do not depend on who works a patch).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from openincome.audit.log import record
from openincome.ledger.limits import code_problem
from openincome.ledger.models import Patch

from .models import PatchAllocation
from .roles import ROLES, role_group, roles_of

# An administrator cannot lock themselves out; another administrator must make such a change.
SELF_ROLE = "You cannot remove your own administrator role: ask another administrator"
SELF_DEACTIVATE = "You cannot deactivate your own account: ask another administrator"


class UserError(ValueError):
    """A change cannot be made as asked; the message says why, `field` says where (if known)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check_password(password: str, user=None) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise UserError("; ".join(exc.messages), field="password1") from None


def _patches_by_code(codes) -> dict:
    codes = list(codes)
    known = {p.code: p for p in Patch.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in known]
    if missing:
        raise UserError(
            f"unknown patch {', '.join(missing)}: import the properties first", field="patches"
        )
    return known


def add_user(username: str, role: str, password: str, patches=(), actor=None, *,
             first_name: str = "", last_name: str = "", email: str = ""):
    """Create a user with one role and their patches, audited; nothing is saved on error."""
    User = get_user_model()
    _check_role(role)
    if not username:
        raise UserError("give a username", field="username")
    if problem := code_problem(username):  # it is a URL segment of the admin pages
        raise UserError(f"username {problem}", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise UserError(f"a user called '{username}' already exists", field="username")
    known = _patches_by_code(patches)
    _check_password(password, User(username=username, first_name=first_name,
                                    last_name=last_name, email=email))
    with transaction.atomic(durable=True):
        user = User.objects.create_user(
            username=username, password=password, first_name=first_name, last_name=last_name,
            email=email,
        )
        # Administrators may also use Django's own admin at /manage/ for repairs.
        user.is_staff = role == "admin"
        user.save()
        user.groups.add(role_group(role))
        for code in patches:
            PatchAllocation.objects.create(user=user, patch=known[code])
        record("user_added", actor=actor, object_type="user", object_ref=username,
               details={"role": role, "patches": list(patches), "first_name": first_name,
                        "last_name": last_name, "email": email})
    return user


def _is_self(user, actor) -> bool:
    return getattr(actor, "pk", None) is not None and actor.pk == user.pk


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise UserError(f"unknown role '{role}': use one of {', '.join(ROLES)}", field="role")


def set_allocation(user, patches, actor=None) -> dict:
    """Make `patches` (codes) exactly the patches a user works, audited; returns the change."""
    known = _patches_by_code(patches)
    with transaction.atomic(durable=True):
        return _set_allocation(user, known, actor)


def _set_allocation(user, known: dict, actor) -> dict:
    current = set(user.patch_allocations.values_list("patch__code", flat=True))
    wanted = set(known)
    added, removed = sorted(wanted - current), sorted(current - wanted)
    if not added and not removed:
        return {}
    user.patch_allocations.filter(patch__code__in=removed).delete()
    for code in added:
        PatchAllocation.objects.create(user=user, patch=known[code])
    change = {"added": added, "removed": removed}
    record("allocation_changed", actor=actor, object_type="user",
           object_ref=user.get_username(), details=change)
    return change


def set_role(user, role: str, actor=None) -> dict:
    """Give a user exactly one role (replacing any others), audited; returns the change."""
    _check_role(role)
    with transaction.atomic(durable=True):
        return _set_role(user, role, actor)


def _set_role(user, role: str, actor) -> dict:
    before = sorted(roles_of(user))
    if _is_self(user, actor) and "admin" in before and role != "admin":
        raise UserError(SELF_ROLE, field="role")
    if before == [role]:
        return {}
    user.groups.remove(*user.groups.filter(name__in=ROLES))
    user.groups.add(role_group(role))
    user.is_staff = role == "admin"
    user.save(update_fields=["is_staff"])
    # rules caches a user's roles on the object (see rules.py); drop the stale cache.
    user.__dict__.pop("_openincome_roles", None)
    change = {"from": before, "to": [role]}
    record("user_role_changed", actor=actor, object_type="user",
           object_ref=user.get_username(), details=change)
    return change


def set_active(user, active: bool, actor=None) -> bool:
    """Deactivate (never delete) or reactivate a user, audited; returns whether it changed."""
    if _is_self(user, actor) and not active:
        raise UserError(SELF_DEACTIVATE, field="active")
    with transaction.atomic(durable=True):
        return _set_active(user, active, actor)


def _set_active(user, active: bool, actor) -> bool:
    if user.is_active == active:
        return False
    user.is_active = active
    user.save(update_fields=["is_active"])
    record("user_reactivated" if active else "user_deactivated", actor=actor,
           object_type="user", object_ref=user.get_username())
    return True


def deactivate_user(user, actor=None) -> bool:
    """Stop a user signing in; their history stays (users are never deleted)."""
    return set_active(user, False, actor)


def change_user(user, *, role: str, patches, active: bool, first_name: str, last_name: str,
                email: str, actor=None) -> list[str]:
    """Apply an edit of a user's details, role, patches and status; returns what changed."""
    _check_role(role)
    known = _patches_by_code(patches)
    changed = []
    with transaction.atomic(durable=True):
        # Self-lockout checks come first so a refused edit changes nothing at all.
        if _is_self(user, actor):
            if role != "admin" and "admin" in roles_of(user):
                raise UserError(SELF_ROLE, field="role")
            if not active:
                raise UserError(SELF_DEACTIVATE, field="active")
        details = {"first_name": first_name, "last_name": last_name, "email": email}
        diff = {k: [getattr(user, k), v] for k, v in details.items() if getattr(user, k) != v}
        if diff:
            for key, (_, new) in diff.items():
                setattr(user, key, new)
            user.save(update_fields=list(diff))
            record("user_details_changed", actor=actor, object_type="user",
                   object_ref=user.get_username(), details=diff)
            changed.append("details")
        if _set_role(user, role, actor):
            changed.append("role")
        if _set_allocation(user, known, actor):
            changed.append("patches")
        if _set_active(user, active, actor):
            changed.append("status")
    return changed


def set_password(user, password: str, actor=None) -> None:
    """Reset a user's password (validated), audited without the password itself."""
    _check_password(password, user)
    with transaction.atomic(durable=True):
        user.set_password(password)
        user.save(update_fields=["password"])
        record("user_password_reset", actor=actor, object_type="user",
               object_ref=user.get_username())


def add_patch(code: str, name: str, actor=None) -> Patch:
    """Create a patch, audited; codes are unique whatever their case."""
    code = (code or "").strip()
    if not code:
        raise UserError("give a patch code", field="code")
    if problem := code_problem(code):
        raise UserError(f"patch code {problem}", field="code")
    if Patch.objects.filter(code__iexact=code).exists():
        raise UserError(f"a patch with the code '{code}' already exists", field="code")
    with transaction.atomic(durable=True):
        patch = Patch.objects.create(code=code, name=name)
        record("patch_added", actor=actor, object_type="patch", object_ref=code,
               details={"name": name})
    return patch


def change_patch(patch: Patch, *, name: str, usernames, actor=None) -> list[str]:
    """Rename a patch and set exactly which users work it, audited; returns what changed."""
    User = get_user_model()
    usernames = list(usernames)
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    missing = [u for u in usernames if u not in users]
    if missing:
        raise UserError(f"unknown user {', '.join(missing)}", field="officers")
    changed = []
    with transaction.atomic(durable=True):
        if patch.name != name:
            record("patch_renamed", actor=actor, object_type="patch", object_ref=patch.code,
                   details={"from": patch.name, "to": name})
            patch.name = name
            patch.save(update_fields=["name"])
            changed.append("name")
        current = set(patch.allocations.values_list("user__username", flat=True))
        added, removed = sorted(set(users) - current), sorted(current - set(users))
        if added or removed:
            patch.allocations.filter(user__username__in=removed).delete()
            for username in added:
                PatchAllocation.objects.create(user=users[username], patch=patch)
            record("patch_allocation_changed", actor=actor, object_type="patch",
                   object_ref=patch.code, details={"added": added, "removed": removed})
            changed.append("officers")
    return changed


def add_officers_named_in_import(usernames, actor, why: str) -> list[str]:
    """Users for the officers an import names that do not exist yet: no role, no password,
    cannot sign in; each audited. Returns the usernames created.

    The one part here that joins its caller's transaction rather than opening a durable one:
    it is a step of an import, which must stand or fall as a whole. The contact log keeps who
    spoke to the tenant; an administrator may later give the user a role and a password.
    """
    User = get_user_model()
    wanted = set(usernames)
    have = set(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    created = sorted(wanted - have)
    with transaction.atomic():
        for username in created:
            user = User(username=username, is_active=False)
            user.set_unusable_password()
            user.save()
            record("user_added", actor=actor, object_type="user", object_ref=username, why=why,
                   details={"role": None, "patches": [], "source": "contacts.csv",
                            "active": False})
    return created
