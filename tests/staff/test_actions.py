"""staff.actions called directly, as the admin pages, the `user` command and the import call
them: each change is audited, a refusal writes nothing, and every public action runs in a
transaction of its own (durable), except the import's step, which joins its caller's."""

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from openincome.audit.models import AuditEvent
from openincome.ledger.models import Patch
from openincome.staff import actions
from openincome.staff.models import PatchAllocation
from openincome.staff.queries import officer_patches, officers, patches_of
from openincome.staff.roles import roles_of

pytestmark = pytest.mark.django_db
PASSWORD = "staff-test-password"


@pytest.fixture
def patches():
    return [actions.add_patch(code, f"{code.title()} estate", actor="test")
            for code in ("EAST", "WEST")]


def _counts() -> tuple[int, ...]:
    return (get_user_model().objects.count(), PatchAllocation.objects.count(),
            Patch.objects.count(), AuditEvent.objects.count())


def test_adding_a_user_gives_one_role_and_their_patches_audited(patches):
    user = actions.add_user("officer1", "officer", PASSWORD, ["EAST"], actor="test",
                            first_name="Sam", last_name="Example")
    assert roles_of(user) == {"officer"} and not user.is_staff
    assert officer_patches(user) == ["EAST"] and patches_of("officer1") == ["EAST"]
    assert officers() == [("officer1", "Sam Example")]
    event = AuditEvent.objects.get(action="user_added", object_ref="officer1")
    assert (event.actor_name, event.details["patches"]) == ("test", ["EAST"])


@pytest.mark.parametrize(
    ("username", "role", "patch", "field"),
    [("officer1", "wizard", "EAST", "role"), ("officer1", "officer", "NORTH", "patches"),
     ("", "officer", "EAST", "username")],
)
def test_a_refused_user_writes_nothing(patches, username, role, patch, field):
    before = _counts()
    with pytest.raises(actions.UserError) as refused:
        actions.add_user(username, role, PASSWORD, [patch], actor="test")
    assert refused.value.field == field
    assert _counts() == before


def test_changing_a_user_audits_each_part_and_a_self_lockout_changes_nothing(patches):
    admin = actions.add_user("admin1", "admin", PASSWORD, actor="test")
    user = actions.add_user("officer1", "officer", PASSWORD, ["EAST"], actor="test")
    changed = actions.change_user(user, role="team_leader", patches=["WEST"], active=False,
                                  first_name="Alex", last_name="", email="", actor=admin)
    assert changed == ["details", "role", "patches", "status"]
    user.refresh_from_db()
    assert (roles_of(user), officer_patches(user), user.is_active) == (
        {"team_leader"}, ["WEST"], False)
    assert {"user_details_changed", "user_role_changed", "allocation_changed",
            "user_deactivated"} <= set(AuditEvent.objects.filter(
                object_ref="officer1").values_list("action", flat=True))
    before = _counts()
    with pytest.raises(actions.UserError):
        actions.change_user(admin, role="officer", patches=["EAST"], active=True,
                            first_name="Changed", last_name="", email="", actor=admin)
    admin.refresh_from_db()
    assert _counts() == before and admin.first_name == "" and roles_of(admin) == {"admin"}


def test_a_patch_is_renamed_and_staffed_audited(patches):
    actions.add_user("officer1", "officer", PASSWORD, actor="test")
    east = Patch.objects.get(code="EAST")
    assert actions.change_patch(east, name="East side", usernames=["officer1"],
                                actor="test") == ["name", "officers"]
    assert patches_of("officer1") == ["EAST"]
    assert AuditEvent.objects.filter(action="patch_allocation_changed", object_ref="EAST",
                                     details__added=["officer1"]).exists()


def test_public_actions_refuse_to_run_inside_another_transaction(patches):
    user = actions.add_user("officer1", "officer", PASSWORD, actor="test")
    calls = [
        lambda: actions.add_patch("NORTH", "North", actor="test"),
        lambda: actions.set_role(user, "manager", actor="test"),
        lambda: actions.set_allocation(user, ["WEST"], actor="test"),
        lambda: actions.set_active(user, False, actor="test"),
        lambda: actions.set_password(user, "another-long-password-1", actor="test"),
    ]
    before = _counts()
    for call in calls:
        with pytest.raises(RuntimeError, match="durable"), transaction.atomic():
            call()
    assert _counts() == before


def test_the_imports_officers_join_its_transaction_and_roll_back_with_it():
    class Abandon(Exception):
        pass

    with pytest.raises(Abandon), transaction.atomic():
        assert actions.add_officers_named_in_import(["o.smith", "o.jones"], "import",
                                                    "a test") == ["o.jones", "o.smith"]
        raise Abandon
    assert not get_user_model().objects.filter(username__startswith="o.").exists()
    assert actions.add_officers_named_in_import(["o.smith"], "import", "a test") == ["o.smith"]
    assert actions.add_officers_named_in_import(["o.smith"], "import", "a test") == []
    user = get_user_model().objects.get(username="o.smith")
    assert not user.is_active and not user.has_usable_password()
    assert AuditEvent.objects.filter(action="user_added", object_ref="o.smith").count() == 1
