"""Writing audit events."""

from typing import Any

from .models import AuditEvent


def record(
    action: str,
    *,
    actor: Any = None,
    object_type: str = "",
    object_ref: str = "",
    why: str = "",
    details: dict | None = None,
) -> AuditEvent:
    """Append one audit event; `actor` is a user, a system name, or None for the system."""
    user = actor if getattr(actor, "pk", None) else None
    if user is not None:
        name = user.get_username()
    else:
        name = actor if isinstance(actor, str) and actor else "system"
    return AuditEvent.objects.create(
        actor=user,
        actor_name=name,
        action=action,
        object_type=object_type,
        object_ref=object_ref,
        why=why,
        details=details or {},
    )
