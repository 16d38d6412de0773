"""Every code the engine can emit reads as a plain-English sentence with the row's figures."""

from __future__ import annotations

import datetime

import polars as pl
import pytest
from engine_scenarios import D, combine
from policy_tables import all_cases
from test_engine_policy_table import CASES

from openincome.engine import classify
from openincome.engine.decision import emitted_codes
from openincome.engine.reasons import FIELDS, REASON_CODES, explain, explain_all, pounds
from openincome.ledger.vocab import PAUSE_REASONS
from openincome.policy.defaults import DEFAULT_POLICY, POLICY_V1, RENTERS_RIGHTS_SOCIAL

OFFICER_PAUSES = tuple(r for r in PAUSE_REASONS if not r.startswith("breathing_space"))


@pytest.mark.parametrize("policy", [DEFAULT_POLICY, RENTERS_RIGHTS_SOCIAL], ids=lambda p: p.name)
def test_every_emitted_code_has_its_own_sentence(policy):
    codes = emitted_codes(policy, OFFICER_PAUSES)
    assert codes - REASON_CODES == set()
    # The sentences are not stale either: no sentence for a code nothing emits.
    assert REASON_CODES - codes == set()


def test_the_engine_emits_only_known_codes_on_every_table_scenario():
    codes, seen = set(), set()
    for policy in (POLICY_V1, DEFAULT_POLICY):
        inputs = combine([b() for _, b, p, _ in all_cases() if p is policy])
        out = classify(inputs, policy, D)
        codes |= emitted_codes(policy, OFFICER_PAUSES)
        for row in out.iter_rows(named=True):
            for code in row["reasons"] + row["blocked_by"]:
                seen.add(code)
                assert code in emitted_codes(policy, OFFICER_PAUSES)
                sentence = explain(code, row, policy)
                assert sentence[0].isupper() and sentence.endswith("."), sentence
                assert "None" not in sentence and "unknown" not in sentence, (code, sentence)
    # The table exercises every code but a few pause reasons (and a policy-specific one).
    assert codes - seen <= {"bereavement", "officer_discretion", "notice_dates_unknown"}


class OnlyFields(dict):
    """A row that refuses any column outside reasons.FIELDS."""

    def __getitem__(self, key):
        assert key in FIELDS, f"a sentence reads {key!r}, which reasons.FIELDS does not list"
        return super().__getitem__(key)

    def get(self, key, default=None):
        assert key in FIELDS, f"a sentence reads {key!r}, which reasons.FIELDS does not list"
        return super().get(key, default)


POLICIES = [DEFAULT_POLICY, RENTERS_RIGHTS_SOCIAL, POLICY_V1]
EVERY_SCENARIO = [b for _, b, _, _ in all_cases()]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_sentences_read_only_the_listed_fields(policy):
    """The nightly explains 147k rows from these columns alone, so the list must be whole."""
    out = classify(combine([b() for b in EVERY_SCENARIO]), policy, D)
    for row in out.iter_rows(named=True):
        only = OnlyFields({k: row[k] for k in FIELDS})
        for code in row["reasons"] + row["blocked_by"]:
            assert explain(code, only, policy) == explain(code, row, policy)
    for pause in OFFICER_PAUSES:
        explain(pause, OnlyFields(pause_reason=pause, pause_until=None, as_of=D), policy)


def test_a_sentence_quotes_the_figures():
    row = {
        "as_of": datetime.date(2026, 3, 4),
        "actionable_arrears": 41_250,
        "weeks_owed": 5.2,
        "letter_2_date": datetime.date(2026, 2, 23),
    }
    assert explain("letter_2_period_ended", row) == (
        "Arrears of £412.50 are 5.20 weeks' rent; letter 2 was sent 9 days ago and the tenant "
        "has not been contacted since: call or visit the tenant."
    )


def test_policy_figures_come_from_the_policy():
    row = {"actionable_arrears": 700, "as_of": D}
    custom = DEFAULT_POLICY.replace(letter_1_threshold=2_000)
    assert "under £10.00" in explain("small_arrears_reminder_due", row)
    assert "under £20.00" in explain("small_arrears_reminder_due", row, custom)


def test_unknown_codes_and_missing_figures_still_read():
    assert explain("some_new_code", {}) == "Reason: some new code."
    assert explain("bereavement", {"pause_reason": "bereavement"}).startswith(
        "Recovery is paused (bereavement) until an officer lifts it"
    )
    assert explain("a_new_pause", {"pause_reason": "a_new_pause"}).startswith("Recovery is paused")
    assert explain("former_tenant_arrears", {}) == (
        "The tenancy has ended owing an unknown amount: pass it for former tenant arrears "
        "recovery."
    )


@pytest.mark.parametrize(
    ("outcome", "named"),
    [("ppo", "postponed possession order"), ("spo", "suspended possession order"),
     ("adjourned_on_terms", "adjourned on terms"), (None, "order")],
)
def test_a_court_order_is_named_in_words_not_its_code(outcome, named):
    assert explain("court_order_without_terms", {"court_outcome": outcome}) == (
        f"The court order ({named}) has no payment terms recorded: add the instalment so it "
        "can be monitored."
    )


def test_pounds():
    assert [pounds(0), pounds(5), pounds(123_456), pounds(-250)] == [
        "£0.00", "£0.05", "£1,234.56", "-£2.50"
    ]


@pytest.mark.parametrize("policy", POLICIES, ids=lambda p: p.name)
def test_explain_all_gives_every_row_the_sentences_explain_gives(policy):
    """The nightly words a whole run at once; each row must read as explain words it alone."""
    out = classify(combine([b() for b in EVERY_SCENARIO]), policy, D)
    # Twice over, and reversed: shared figures are made once and must land on the right rows.
    frame = pl.concat([out, out.reverse()])
    for column in ("reasons", "blocked_by"):
        said = explain_all(frame, column, policy).to_list()
        expected = [[explain(code, row, policy) for code in row[column]]
                    for row in frame.iter_rows(named=True)]
        assert said == expected


def test_explain_all_of_no_rows_is_empty():
    out = classify(combine([c.values[0]() for c in CASES[:1]]), DEFAULT_POLICY, D).head(0)
    assert explain_all(out, "reasons").to_list() == []
