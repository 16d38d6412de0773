"""The notice date rules of POLICY.md §6: a table of cases, then properties (hypothesis)."""

import datetime

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openincome.legal.dates import (
    CHARGES_SCHEMA,
    business_days_after,
    deemed_service,
    is_bank_holiday,
    is_business_day,
    notice_dates,
)
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL

date = datetime.date
KINDS = ("nosp_secure", "intro_s128", "section_8", "notice_to_quit")
METHODS = ("hand", "post", "left")


RENT_START = date(2025, 4, 7)


def charges(frequency="weekly", start=RENT_START) -> pl.DataFrame:
    """One rent charge from `start` (a Monday)."""
    return pl.DataFrame({"tenancy_id": [7], "charge_code": ["rent"], "amount": [10_000],
                         "frequency": [frequency], "effective_from": [start],
                         "effective_to": [None]}, schema=CHARGES_SCHEMA)


# (kind, served, method, rent frequency, rent week day, policy) ->
# (deemed service, earliest proceedings, expiry); the POLICY.md paragraph in the id.
TABLE = [
    pytest.param("nosp_secure", date(2026, 11, 2), "hand", "weekly", 0, DEFAULT_POLICY,
                 date(2026, 11, 2), date(2026, 12, 6), date(2027, 12, 6),
                 id="§6 secure: Monday + 28 days is a Monday; its rent week ends Sunday 6 Dec"),
    pytest.param("nosp_secure", date(2026, 11, 2), "hand", "weekly", 1, DEFAULT_POLICY,
                 date(2026, 11, 2), date(2026, 11, 30), date(2027, 11, 30),
                 id="§6 secure: rent weeks start Tuesday, so + 28 days is a period's last day"),
    pytest.param("nosp_secure", date(2026, 11, 10), "left", "monthly", 0, DEFAULT_POLICY,
                 date(2026, 11, 10), date(2026, 12, 31), date(2027, 12, 31),
                 id="§6 secure, monthly rent: the end of the calendar month"),
    pytest.param("nosp_secure", date(2026, 12, 24), "post", "weekly", 0, DEFAULT_POLICY,
                 date(2026, 12, 30), date(2027, 1, 31), date(2028, 1, 31),
                 id="§6 post at Christmas: 25, 28 Dec bank holidays and a weekend skipped"),
    pytest.param("intro_s128", date(2026, 4, 2), "post", "weekly", 0, DEFAULT_POLICY,
                 date(2026, 4, 8), date(2026, 5, 10), date(2027, 5, 10),
                 id="§6 introductory, posted the day before Good Friday: Easter skipped"),
    pytest.param("section_8", date(2026, 11, 6), "post", "weekly", 0, DEFAULT_POLICY,
                 date(2026, 11, 10), date(2026, 11, 24), date(2027, 11, 10),
                 id="§6 section 8: posted Friday, deemed Tuesday, + 14 days, 12 months"),
    pytest.param("section_8", date(2026, 11, 6), "hand", "weekly", 0, RENTERS_RIGHTS_SOCIAL,
                 date(2026, 11, 6), date(2026, 12, 4), date(2027, 11, 6),
                 id="§6 section 8 under the Renters' Rights Act preset: 28 days"),
    pytest.param("notice_to_quit", date(2026, 11, 2), "hand", "fortnightly", 0, POLICY_V1,
                 date(2026, 11, 2), date(2026, 12, 13), date(2027, 11, 2),
                 id="§6 notice to quit, fortnightly from 7 Apr 2025: expiry from service"),
]


@pytest.mark.parametrize(
    "kind,served,method,frequency,rent_week_day,policy,deemed,epd,expiry", TABLE)
def test_notice_dates_table(kind, served, method, frequency, rent_week_day, policy, deemed,
                            epd, expiry):
    got = notice_dates(kind, served, method, policy=policy, charges=charges(frequency),
                       rent_week_day=rent_week_day)
    assert (got.deemed_service.date, got.earliest_proceedings.date, got.expiry.date) == (
        deemed, epd, expiry)
    assert all("the landlord's arrears policy" in r.rule for r in
               (got.deemed_service, got.earliest_proceedings, got.expiry))


def test_bank_holidays_come_from_the_package():
    assert is_bank_holiday(date(2026, 12, 28))  # Boxing Day observed
    assert is_bank_holiday(date(2026, 8, 31))  # Late Summer Bank Holiday (England and Wales)
    assert not is_bank_holiday(date(2026, 8, 3))  # Scotland's summer holiday, not ours
    assert not is_business_day(date(2026, 12, 5))  # a Saturday
    assert business_days_after(date(2026, 12, 4), 0) == date(2026, 12, 4)


def test_the_service_days_are_policy():
    slow = DEFAULT_POLICY.replace(notice_service_business_days={"hand": 1, "left": 0, "post": 5})
    assert deemed_service(date(2026, 11, 2), "hand", slow).date == date(2026, 11, 3)
    assert deemed_service(date(2026, 11, 2), "post", slow).date == date(2026, 11, 9)
    with pytest.raises(ValueError, match="notice_service_business_days"):
        DEFAULT_POLICY.replace(notice_service_business_days={"hand": 0, "post": 2})


def test_bad_kind_and_method_are_refused():
    with pytest.raises(ValueError, match="service method"):
        deemed_service(date(2026, 11, 2), "fax", DEFAULT_POLICY)
    with pytest.raises(ValueError, match="no date rule"):
        notice_dates("s21", date(2026, 11, 2), "hand", policy=DEFAULT_POLICY,
                     charges=charges(), rent_week_day=0)


days = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))
frequencies = st.sampled_from(["weekly", "fortnightly", "four_weekly", "monthly"])
EARLY = date(2020, 1, 6)  # the charge starts before any served date drawn
policies = st.sampled_from([DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL])


@settings(max_examples=150, deadline=None)
@given(kind=st.sampled_from(KINDS), served=days, method=st.sampled_from(METHODS),
       frequency=frequencies, rent_week_day=st.integers(0, 6), policy=policies)
def test_date_rules_hold(kind, served, method, frequency, rent_week_day, policy):
    got = notice_dates(kind, served, method, policy=policy,
                       charges=charges(frequency, EARLY), rent_week_day=rent_week_day)
    deemed = got.deemed_service.date
    assert deemed >= served
    if method == "post":
        assert deemed > served and is_business_day(deemed)
        # Nothing between: exactly `post` business days after serving.
        between = [served + datetime.timedelta(days=i) for i in range(1, (deemed - served).days)]
        assert sum(map(is_business_day, between)) == policy.notice_service_business_days[
            "post"] - 1
    else:
        assert deemed == served
    rule = policy.notice_dates_by_kind[kind]
    period = rule["earliest_proceedings"]["days"]
    assert got.earliest_proceedings.date >= deemed + datetime.timedelta(days=period)
    if rule["earliest_proceedings"]["rule"] == "end_of_rent_period_after":
        # The last day of a rent period: the next day starts one.
        nxt = got.earliest_proceedings.date + datetime.timedelta(days=1)
        if frequency == "weekly":
            assert nxt.weekday() == rent_week_day
        if frequency == "monthly":
            assert nxt.day == 1
        # ... and the first one: less than one period (at most 31 days) after service + N.
        gap = got.earliest_proceedings.date - (deemed + datetime.timedelta(days=period))
        assert gap.days < 31
    assert got.expiry.date > got.earliest_proceedings.date or rule["expiry"]["from"] == (
        "service")
    assert got.expiry.date > deemed


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(KINDS), served=days, gap=st.integers(0, 60),
       method=st.sampled_from(METHODS), frequency=frequencies)
def test_later_service_never_gives_earlier_dates(kind, served, gap, method, frequency):
    later = served + datetime.timedelta(days=gap)
    a, b = (notice_dates(kind, d, method, policy=DEFAULT_POLICY, charges=charges(frequency, EARLY),
                         rent_week_day=0) for d in (served, later))
    assert a.deemed_service.date <= b.deemed_service.date
    assert a.earliest_proceedings.date <= b.earliest_proceedings.date
    assert a.expiry.date <= b.expiry.date
