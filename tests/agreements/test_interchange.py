"""Agreements made in the app leave by export and come back by import unchanged: the lump sum,
the note and how each ended are interchange columns."""

import csv
import datetime

import pytest

from openincome.agreements import actions
from openincome.agreements.models import Agreement
from openincome.interchange import export_folder, import_folder

from .conftest import D, tenancy

pytestmark = pytest.mark.django_db


def fields():
    return sorted(Agreement.objects.values_list(
        "agreement_ref", "tenancy__tenancy_ref", "kind", "start_date", "starting_balance",
        "instalment", "frequency", "status", "lump_sum", "note", "end_date", "end_reason"))


def test_app_agreements_round_trip(landlord, tmp_path):
    first = actions.make_agreement(tenancy(), None, instalment=1_500, frequency="monthly",
                                   start=D, as_of=D, lump_sum=2_550, reason="Home visit, \"ok\"")
    actions.make_agreement(tenancy(), None, instalment=2_000, frequency="fortnightly",
                           start=D + datetime.timedelta(days=14), as_of=D,
                           reason="Income went up,\nsee notes")
    actions.make_agreement(tenancy("EX-0001"), None, instalment=500, frequency="four_weekly",
                           start=D, as_of=D)
    before = fields()
    export_folder(tmp_path / "out")
    with open(tmp_path / "out" / "agreements.csv", newline="") as f:
        rows = {row["agreement_ref"]: row for row in csv.DictReader(f)}
    assert rows[first.agreement_ref]["lump_sum"] == "25.50"
    assert rows[first.agreement_ref]["end_date"] == str(D)
    assert rows[first.agreement_ref]["end_reason"].startswith("Replaced by AG-EX-0002-2")
    again = import_folder(tmp_path / "out")
    assert again.files["agreements.csv"].unchanged == 3
    assert (again.total.new, again.total.updated) == (0, 0)
    assert fields() == before
    export_folder(tmp_path / "second")
    assert ((tmp_path / "second" / "agreements.csv").read_bytes()
            == (tmp_path / "out" / "agreements.csv").read_bytes())
