"""Legal tests: the example landlord (EX-0001 secure, EX-0002 assured, EX-0003 a garage let
that ended 27 Feb 2026; weekly rent from Mondays) and users of the roles."""

import datetime

import pytest

from openincome.staff.actions import add_user

AS_OF = datetime.date(2026, 11, 23)


@pytest.fixture
def landlord(db, example_folder):
    """The three-tenancy example folder, imported through the real importer."""
    from openincome.interchange import import_folder

    import_folder(example_folder, actor="test")


@pytest.fixture
def officer(landlord):
    """An income officer working patch EAST."""
    return add_user("officer1", "officer", "legal-test-password", ["EAST"], actor="test")


@pytest.fixture
def finance(landlord):
    """A finance user (may not serve notices)."""
    return add_user("finance1", "finance", "legal-test-password", actor="test")


@pytest.fixture
def leader(landlord):
    """A team leader (approves notices and claims under delegated authority)."""
    return add_user("leader1", "team_leader", "legal-test-password", actor="test")


NOTES = {"contact_cause": "Spoke on the doorstep about the arrears and their cause",
         "vulnerability": "No vulnerability known; asked at the visit",
         "benefits": "Checked Universal Credit housing costs with the tenant",
         "dwp_deductions": "Considered an APA; the tenant pays the rent directly",
         "affordable_plan": "Offered £10 a week on top of the rent",
         "rent_statements": "Quarterly statements sent",
         "debt_advice": "Gave the money advice leaflet",
         "adr": "Offered a meeting with the team leader"}


def make_ready(ref: str, escalation: str, on: datetime.date, officer, leader,
               checklist: bool = True):
    """The protocol's records a step on `on` needs: checklist, assessment and approval."""
    from openincome.ledger.models import Tenancy
    from openincome.legal import actions

    t = Tenancy.objects.get(tenancy_ref=ref)
    if checklist:
        actions.complete_checklist(t, officer, completed=on, notes=NOTES, as_of=on)
    actions.record_assessment(t, officer, escalation=escalation, assessed=on,
                              vulnerability="None known", effect="None", alternatives="A plan",
                              reasoning="Arrears keep rising", proportionate=True, as_of=on)
    approval = actions.request_approval(t, officer, escalation=escalation, note="", as_of=on)
    return actions.decide_approval(approval, leader, approve=True, reason="Proportionate",
                                   as_of=on)


@pytest.fixture
def command(capsys):
    """Run `openincome NAME ARGS...`: (exit code, stdout, stderr)."""
    from openincome.cli import main

    def go(name: str, *argv: str):
        code = main([name, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return go
