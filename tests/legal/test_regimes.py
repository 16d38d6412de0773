"""Both section 8 regimes as dated policy (reference §0, §2.2; POLICY.md §6): the social
Form 3 rules are in force now; the Renters' Rights Act rules start on the day a landlord
dates a `renters_rights_social` version from, and a notice follows the policy in force on the
day it is served: its period, its dates, its ground 8 threshold and its wording."""

import datetime
import json
from html import unescape

import pytest

from openincome.cli import main
from openincome.ledger.models import Tenancy
from openincome.legal import documents
from openincome.legal.models import Notice
from openincome.legal.queries import dates_for
from openincome.policy.actions import add_version
from openincome.policy.defaults import RENTERS_RIGHTS_SOCIAL
from openincome.policy.store import params_in_force

date = datetime.date
SWITCH = date(2027, 6, 1)  # "2027 at the earliest" (reference §0): a date in policy data


@pytest.fixture
def switched(landlord):
    add_version(RENTERS_RIGHTS_SOCIAL, SWITCH, note="RRA commenced for social homes")
    t = Tenancy.objects.get(tenancy_ref="EX-0002")  # assured, weekly rent from Mondays
    # Deep arrears, so ground 8 (its threshold met when served) is on every notice here.
    from openincome.ledger.models import Transaction

    Transaction.objects.create(transaction_ref="TEST-RRA-ARREARS", tenancy=t,
                               date=date(2026, 1, 5), type="rent", amount=900_000)
    return t


# served, method -> (earliest proceedings, expiry, the period rule's words, ground 8 weeks and
# months, the form named on the notice, the ground 8 words on it)
TABLE = [
    pytest.param(date(2026, 11, 6), "hand", date(2026, 11, 20), date(2027, 11, 6),
                 "14 days", (8, 2), "Form 3 (social housing)", "at least eight weeks' rent",
                 id="now: the social Form 3 regime, 2 weeks"),
    pytest.param(date(2027, 5, 31), "hand", date(2027, 6, 14), date(2028, 5, 31),
                 "14 days", (8, 2), "Form 3 (social housing)", "at least two months' rent",
                 id="the day before the switch: still Form 3"),
    pytest.param(date(2027, 6, 1), "hand", date(2027, 6, 29), date(2028, 6, 1),
                 "28 days", (13, 3), "Form 3A", "at least 13 weeks' rent",
                 id="the switch day: the Renters' Rights Act regime, 4 weeks"),
    # Posted Friday 28 May 2027; Monday 31 May is the spring bank holiday, so deemed served
    # Wednesday 2 June, after the switch.
    pytest.param(date(2027, 5, 28), "post", date(2027, 6, 16), date(2028, 6, 2),
                 "14 days", (8, 2), "Form 3 (social housing)", "at least eight weeks' rent",
                 id="posted before the switch, deemed served after it: the serving day's rules"),
    pytest.param(date(2027, 9, 1), "left", date(2027, 9, 29), date(2028, 9, 1),
                 "28 days", (13, 3), "Form 3A", "at least three months' rent",
                 id="after the switch"),
]


@pytest.mark.parametrize("served,method,epd,expiry,period,ground_8,form,words", TABLE)
def test_the_section_8_regime_follows_the_policy_dated_on_the_serving_day(
        switched, served, method, epd, expiry, period, ground_8, form, words):
    dates = dates_for(switched, kind="section_8", served=served, method=method)
    assert (dates.earliest_proceedings.date, dates.expiry.date) == (epd, expiry)
    assert dates.earliest_proceedings.rule.startswith(f"{period} after deemed service")
    policy = params_in_force(served)
    assert (policy.ground_8_threshold_weeks, policy.ground_8_threshold_months) == ground_8
    assert policy.notice_kind_for_tenure("assured") == "section_8"
    notice = Notice(notice_ref="N-REGIME", tenancy=switched, kind="section_8",
                    served_date=served, method=method,
                    deemed_service_date=dates.deemed_service.date,
                    earliest_proceedings_date=epd, expiry_date=expiry)
    html = unescape(documents.notice_html(notice))
    assert form in html and words in html
    other = {"Form 3A": "Form 3 (social housing)", "Form 3 (social housing)": "Form 3A"}[form]
    assert other not in html


def test_the_secure_notice_is_the_same_under_both_regimes(switched):
    t = Tenancy.objects.get(tenancy_ref="EX-0001")
    before, after = (dates_for(t, kind="nosp_secure", served=d, method="hand")
                     for d in (date(2027, 5, 3), date(2027, 6, 7)))
    assert (before.earliest_proceedings.date - before.deemed_service.date
            == after.earliest_proceedings.date - after.deemed_service.date)


def test_the_quarterly_and_yearly_limbs_of_ground_8_are_only_in_the_social_form():
    from openincome.policy.defaults import DEFAULT_POLICY

    social = dict(documents.section_8_grounds(DEFAULT_POLICY))
    rra = dict(documents.section_8_grounds(RENTERS_RIGHTS_SOCIAL))
    assert "payable quarterly" in social["Ground 8"] and "payable quarterly" not in rra["Ground 8"]
    assert "universal credit" in rra["Ground 8"] and "universal credit" not in social["Ground 8"]
    assert social["Ground 10"] == rra["Ground 10"] and "persistently delayed" in social["Ground 11"]


def test_the_regime_is_validated_policy_data():
    with pytest.raises(ValueError, match="section_8_regime"):
        RENTERS_RIGHTS_SOCIAL.replace(section_8_regime="form_6a")


def test_notice_dates_json_has_each_date_with_its_rule(switched, capsys):
    code = main(["notice", "dates", "EX-0002", "--kind", "section_8", "--served", "2027-06-04",
                 "--method", "post", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"tenancy_ref", "kind", "method", "served", "deemed_service",
                         "earliest_proceedings", "expiry"}
    assert (data["tenancy_ref"], data["kind"], data["method"], data["served"]) == (
        "EX-0002", "section_8", "post", "2027-06-04")
    for name in ("deemed_service", "earliest_proceedings", "expiry"):
        assert set(data[name]) == {"date", "rule"}, name
        datetime.date.fromisoformat(data[name]["date"])
        assert data[name]["rule"].endswith("(the landlord's arrears policy).")
    # Friday 4 June 2027 posted: deemed served Tuesday 8 June; the Act's 28 days from then.
    assert data["deemed_service"]["date"] == "2027-06-08"
    assert "business day 2" in data["deemed_service"]["rule"]
    assert data["earliest_proceedings"] == {
        "date": "2027-07-06",
        "rule": "28 days after deemed service (the landlord's arrears policy)."}
    assert data["expiry"] == {
        "date": "2028-06-08",
        "rule": "12 months after deemed service (the landlord's arrears policy)."}
