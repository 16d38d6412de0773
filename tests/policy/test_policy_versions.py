"""Policy versions: version 2 is the default, version 1 stays available, and an upgraded
database keeps version 1 for the dates it was in force."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps

from openincome.audit.models import AuditEvent
from openincome.cli import main
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1
from openincome.policy.models import PolicyVersion
from openincome.policy.store import params_in_force

NEW_IN_V2 = ("trial_months", "trial_conversions", "hearing_prep_days",
             "order_breach_letter_valid_days", "order_breach_wait_days",
             "ppo_needs_possession_date", "warrant_chase_days", "promise_grace_days",
             "breach_compares", "apa_before_court", "end_tenancy_tenures")


@pytest.mark.django_db
def test_a_new_database_starts_on_version_2():
    assert params_in_force(datetime.date(2026, 12, 3)) == DEFAULT_POLICY


@pytest.mark.django_db
def test_the_v1_preset_installs_a_dated_version_that_is_version_1(capsys):
    assert main(["policy", "add", "--from", "2026-01-01", "--preset", "v1",
                 "--note", "keep version 1"]) == 0
    assert params_in_force(datetime.date(2026, 6, 1)) == POLICY_V1
    assert params_in_force(datetime.date(2025, 12, 31)) == DEFAULT_POLICY
    assert AuditEvent.objects.filter(action="policy_version_added", object_ref="v1").exists()


@pytest.mark.django_db
def test_policy_show_lists_every_version_2_parameter(capsys):
    assert main(["policy", "show", "--as-of", "2026-12-03"]) == 0
    out = capsys.readouterr().out
    for name in (*NEW_IN_V2, "reducing_min_reduction"):
        assert f"  {name}: " in out, name


@pytest.mark.django_db
def test_the_upgrade_keeps_a_version_1_database_on_version_1_for_the_past():
    """A database whose stored policy predates version 2 keeps it, and gains version 2 from
    the day the migration runs."""
    PolicyVersion.objects.all().delete()
    v1_era = {k: v for k, v in POLICY_V1.to_dict().items() if k not in NEW_IN_V2}
    v1_era["name"] = "default"
    v1_era["priority_weights"] = {k: v for k, v in v1_era["priority_weights"].items()
                                  if k not in ("hearing_closeness", "order_breach")}
    PolicyVersion.objects.create(name="default", effective_from=datetime.date(1900, 1, 1),
                                 params=v1_era)
    migration = importlib.import_module("openincome.policy.migrations.0003_policy_version_2")
    migration.upgrade(django_apps, None)
    today = datetime.date.today()
    past = params_in_force(today - datetime.timedelta(days=1))
    assert past.replace(name="v1", description=POLICY_V1.description) == POLICY_V1
    assert params_in_force(today) == DEFAULT_POLICY
    event = AuditEvent.objects.get(action="policy_version_added", why__contains="version 2")
    assert event.details["effective_from"] == str(today)
    # Running it again changes nothing.
    migration.upgrade(django_apps, None)
    assert PolicyVersion.objects.count() == 2


@pytest.mark.django_db
def test_the_upgrade_leaves_a_landlords_later_version_alone():
    PolicyVersion.objects.all().delete()
    v1_era = {k: v for k, v in POLICY_V1.to_dict().items() if k not in NEW_IN_V2}
    PolicyVersion.objects.create(name="default", effective_from=datetime.date(1900, 1, 1),
                                 params=v1_era)
    later = datetime.date.today() + datetime.timedelta(days=30)
    PolicyVersion.objects.create(name="rra", effective_from=later, params=v1_era)
    migration = importlib.import_module("openincome.policy.migrations.0003_policy_version_2")
    migration.upgrade(django_apps, None)
    assert PolicyVersion.objects.count() == 2
    assert params_in_force(later).breach_compares == "arrears"
