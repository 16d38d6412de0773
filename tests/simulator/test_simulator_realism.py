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
