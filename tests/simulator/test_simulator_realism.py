"""The realism report of a 2,000-home, 3-year landlord is within the sector targets."""

from __future__ import annotations

from simulator_testkit import simulated

from openincome.simulator.report import realism_report


def test_realism_report_within_targets():
    report = realism_report(simulated(2000, 3, 1))
    assert report.within_targets(), report.format()
    text = report.format()
    assert "share of current tenancies in arrears" in text
    assert 1900 <= report.current <= 2000
    assert 0 < report.evictions_per_1000 < 10


def test_the_benefits_work_is_simulated_and_reported():
    """APA requests take weeks to be accepted (the officer's chase window), DHP applications
    are mostly awarded, and some verification requests are still open at the end."""
    report = realism_report(simulated(2000, 3, 1))
    extra = report.extra
    assert extra["APA requests"].split()[0] != "0"
    weeks = float(extra["APA requests"].split("accepted after ")[1].split()[0])
    assert 4 <= weeks <= 12, extra["APA requests"]
    made, awarded = (int(x) for x in extra["DHP applications"].split()[0:3:2])
    assert 0 < awarded < made
    assert int(extra["UC verification requests"].split(", ")[1].split()[0]) > 0
