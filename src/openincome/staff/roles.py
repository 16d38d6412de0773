"""The five roles, held as Django groups."""

from django.contrib.auth.models import Group

ROLES = {
    "officer": "Income officer",
    "team_leader": "Team leader",
    "manager": "Manager",
    "finance": "Finance",
    "admin": "Administrator",
}


def role_group(role: str) -> Group:
    """The group of a role, created on first use."""
    if role not in ROLES:
        raise ValueError(f"unknown role '{role}': use one of {', '.join(ROLES)}")
    group, _ = Group.objects.get_or_create(name=role)
    return group


def roles_of(user) -> set[str]:
    """The role codes a user holds."""
    return set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
