"""The ladder actions only a legal step records are never free choices in "Record an action"
(web form, action, command line): the step records them with what they stand for."""

import datetime

import pytest

from openincome.cases.actions import record_action
from openincome.ledger.models import RecordedAction, Tenancy
from openincome.web.forms import ActionForm

LEGAL_ONLY = ("pre_action_checklist_complete", "hearing_pack_prepared")


def test_the_record_action_form_does_not_offer_them():
    offered = {value for value, _ in ActionForm().fields["code"].choices}
    assert offered and not offered & set(LEGAL_ONLY)


@pytest.mark.parametrize("code", LEGAL_ONLY)
def test_the_action_refuses_them_and_writes_nothing(officer, code):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    before = RecordedAction.objects.count()
    with pytest.raises(ValueError, match="instead"):
        record_action(t, officer, date=datetime.date(2026, 11, 20), code=code, channel="",
                      note="", as_of=datetime.date(2026, 11, 23))
    assert RecordedAction.objects.count() == before
