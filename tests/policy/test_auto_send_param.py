"""The policy's `auto_send` (issue 15): engine action -> patches ("*" for all), empty in a new
landlord, validated, filled in for versions stored before it existed, and set from a file."""

import datetime
import json

import pytest

from openincome.cli import main
from openincome.policy.defaults import DEFAULT_POLICY
from openincome.policy.models import PolicyVersion
from openincome.policy.params import PolicyParams
from openincome.policy.store import ensure_default, params_in_force


def test_a_new_landlord_automates_nothing():
    assert DEFAULT_POLICY.auto_send == {}


@pytest.mark.parametrize(("value", "ok"), [
    ({"send_reminder": ["*"]}, True),
    ({"send_letter_1": ["EAST", "WEST"], "send_reminder": ["*"]}, True),
    ({"send_reminder": []}, False),  # no patch: say "*" or name them
    ({"send_reminder": "*"}, False),  # a list, not a string
    ({"send_reminder": [""]}, False),
    ({"send_reminder": [3]}, False),
])
def test_auto_send_lists_patch_codes_per_action(value, ok):
    if ok:
        params = DEFAULT_POLICY.replace(auto_send=value)
        assert PolicyParams.from_dict(params.to_dict()) == params
    else:
        with pytest.raises(ValueError, match="auto_send"):
            DEFAULT_POLICY.replace(auto_send=value)


@pytest.mark.django_db
def test_a_version_stored_before_auto_send_existed_automates_nothing():
    ensure_default()
    stored = DEFAULT_POLICY.to_dict()
    del stored["auto_send"]
    PolicyVersion.objects.create(name="old", effective_from=datetime.date(2026, 1, 1),
                                 params=stored)
    assert params_in_force(datetime.date(2026, 6, 1)).auto_send == {}


@pytest.mark.django_db
def test_an_administrator_switches_reminders_on_from_a_date(tmp_path, capsys):
    changes = tmp_path / "auto.json"
    changes.write_text(json.dumps({"auto_send": {"send_reminder": ["*"]}}))
    assert main(["policy", "add", "--from", "2026-12-01", "--file", str(changes),
                 "--note", "reminders go out by themselves"]) == 0
    assert params_in_force(datetime.date(2026, 11, 30)).auto_send == {}
    assert params_in_force(datetime.date(2026, 12, 1)).auto_send == {"send_reminder": ("*",)}
    changes.write_text(json.dumps({"auto_send": {"send_reminder": "*"}}))
    assert main(["policy", "add", "--from", "2026-12-02", "--file", str(changes)]) == 2
    assert "auto_send" in capsys.readouterr().err
