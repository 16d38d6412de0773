"""Creating users with a role and patches (command line and admin pages share this)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from openincome.audit.log import record
from openincome.ledger.models import Patch

from .models import PatchAllocation
from .roles import ROLES, role_group


class UserError(ValueError):
    """A user cannot be created as asked; the message says why."""


def add_user(username: str, role: str, password: str, patches=(), actor=None):
    """Create a user with one role and their patches, audited; nothing is saved on error."""
    User = get_user_model()
    if role not in ROLES:
        raise UserError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    if not username or User.objects.filter(username=username).exists():
        raise UserError(f"a user called '{username}' already exists" if username else
                        "give a username")
    known = {p.code: p for p in Patch.objects.filter(code__in=patches)}
    missing = [p for p in patches if p not in known]
    if missing:
        raise UserError(f"unknown patch {', '.join(missing)}: import the properties first")
    try:
        validate_password(password)
    except Exception as exc:  # ValidationError carries a list of messages
        raise UserError("; ".join(getattr(exc, "messages", [str(exc)]))) from None
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password)
        user.is_staff = role == "admin"
        user.save()
        user.groups.add(role_group(role))
        for code in patches:
            PatchAllocation.objects.create(user=user, patch=known[code])
        record("user_added", actor=actor, object_type="user", object_ref=username,
               details={"role": role, "patches": list(patches)})
    return user
