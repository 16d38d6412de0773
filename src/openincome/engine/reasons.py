"""Plain-English sentences for the engine's reason and blocked-by codes.

`explain(code, row)` turns one code into a sentence an officer can read to a tenant, quoting
the row's own figures (a row of `classify`'s output as a dict). Every code the engine can
emit has a sentence; an unknown code (say a pause reason added later) still reads sensibly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl

from openincome.ledger.pence import pounds as _pounds
from openincome.ledger.vocab import label
from openincome.policy.defaults import DEFAULT_POLICY
from openincome.policy.params import PolicyParams

Row = Mapping[str, Any]


def pounds(pence: int | None) -> str:
    """£1,234.56 from pence (negative shown with a minus sign); a sentence never shows a
    blank, so a missing figure reads "an unknown amount"."""
    return "an unknown amount" if pence is None else _pounds(pence)


def _date(value: datetime.date | None) -> str:
    return value.strftime("%-d %B %Y") if value else "an unknown date"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Facts:
    """Phrases built from one output row, each safe when a figure is missing."""

    def __init__(self, row: Row, policy: PolicyParams) -> None:
        self.row = row
        self.p = policy

    def get(self, key: str) -> Any:
        """The row's value (None when absent)."""
        return self.row.get(key)

    def ago(self, key: str) -> str:
        """'9 days ago' for a date column."""
        when = self.get(key)
        as_of = self.get("as_of")
        if when is None or as_of is None:
            return "on an unknown date"
        n = (as_of - when).days
        if n == 0:
            return "today"
        if n < 0:
            return f"in {_plural(-n, 'day')}"
        return f"{_plural(n, 'day')} ago"

    def days_until(self, key: str) -> str:
        """'on 14 March 2026 (in 10 days)' for a date column."""
        when = self.get(key)
        as_of = self.get("as_of")
        if when is None or as_of is None:
            return "on an unknown date"
        n = (when - as_of).days
        return "today" if n == 0 else f"on {_date(when)} (in {_plural(n, 'day')})"

    @property
    def arrears(self) -> str:
        """'Arrears of £412.50 are 5.20 weeks' rent'."""
        amount = self.get("actionable_arrears")
        weeks = self.get("weeks_owed")
        text = f"Arrears of {pounds(amount)}"
        return f"{text} are {weeks:.2f} weeks' rent" if weeks is not None else text

    @property
    def balance(self) -> str:
        """The balance in pounds."""
        return pounds(self.get("balance"))

    def money(self, key: str) -> str:
        """A money column in pounds."""
        return pounds(self.get(key))

    @property
    def compared(self) -> str:
        """The figure §4 compares with the expected balance, in pounds."""
        return pounds(self.get(self.p.breach_compares))

    def weeks_of_rent(self, weeks: int) -> str:
        """"4 weeks' rent (£400.00)"."""
        w = self.get("weekly_charge")
        return f"{weeks} weeks' rent ({pounds(w * weeks)})" if w else f"{weeks} weeks' rent"

    def last_payment(self) -> str:
        """When the last payment was, in words."""
        days = self.get("days_since_last_payment")
        if days is None:
            return "no payment has been recorded"
        return f"the last payment was {_plural(days, 'day')} ago"


NOTICE_NAMES = {
    "nosp_secure": "a notice of seeking possession",
    "intro_s128": "a notice of proceedings (introductory tenancy)",
    "section_8": "a section 8 notice",
    "notice_to_quit": "a notice to quit",
}


ORDER_NAMES = {"spo": "suspended order", "ppo": "postponed order"}


def _order_name(f: _Facts) -> str:
    return ORDER_NAMES.get(f.get("court_outcome") or "", "court order")


def _order_next_step(f: _Facts) -> str:
    """What follows a broken order once the warning has run (POLICY.md §3.8)."""
    if f.get("court_outcome") == "ppo" and f.p.ppo_needs_possession_date:
        return "apply to the court to fix a possession date"
    return "apply for a warrant"


def _plus_days(when: datetime.date | None, n: int | None) -> datetime.date | None:
    return None if when is None or n is None else when + datetime.timedelta(days=n)


def _pause(f: _Facts) -> str:
    reason = (f.get("pause_reason") or "a reason recorded by an officer").replace("_", " ")
    until = f.get("pause_until")
    end = f"until {_date(until)}" if until else "until an officer lifts it"
    return f"Recovery is paused ({reason}) {end}; no letters or contact about the arrears."


_SENTENCES: dict[str, Callable[[_Facts], str]] = {
    # §3.1 breathing space
    "breathing_space": lambda f: (
        "The tenant is in a Breathing Space (debt respite) "
        + (f"until {_date(f.get('pause_until'))}" if f.get("pause_until") else "with no end date")
        + ": no letters, contact or notices about the debt may be sent while it runs."
    ),
    "new_arrears_in_breathing_space": lambda f: (
        f"New arrears of {f.money('breathing_space_new_arrears')} have built up during the "
        f"Breathing Space, at least {f.weeks_of_rent(f.p.breathing_space_review_weeks)}; ongoing "
        "rent is not protected, so ask the debt adviser to review the Breathing Space."
    ),
    # §3.2 former tenancy
    "former_tenant_arrears": lambda f: (
        f"The tenancy has ended owing {f.balance}: pass it for former tenant arrears recovery."
    ),
    "former_tenant_in_credit": lambda f: (
        f"The tenancy has ended with {pounds(-(f.get('balance') or 0))} in credit: review a refund."
    ),
    # §3.3, §3.6
    "eviction_scheduled": lambda f: (
        f"An eviction is booked {f.days_until('eviction_date')}; no further recovery action."
    ),
    "in_credit": lambda f: (
        f"The account is {pounds(-(f.get('balance') or 0))} in credit; nothing is owed."
    ),
    "clear": lambda f: "The account is clear: nothing is owed.",
    # §3.4 officer pauses (PAUSE_REASONS of INTERCHANGE.md)
    "officer_pause": _pause,
    "bereavement": _pause,
    "hospital": _pause,
    "complaint": _pause,
    "dispute": _pause,
    "officer_discretion": _pause,
    # §3.5 data problems
    "no_weekly_charge": lambda f: (
        f"The account owes {f.balance} but has no charge in effect, so weeks owed cannot be "
        "worked out: check the charges."
    ),
    "court_outcome_without_hearing_date": lambda f: (
        "A court outcome is recorded without a hearing date: add the hearing date."
    ),
    "eviction_date_passed": lambda f: (
        f"An eviction date of {_date(f.get('eviction_date'))} has passed but the tenancy has "
        "not ended: record the eviction or correct the date."
    ),
    "court_order_without_terms": lambda f: (
        f"The court order ({label(f.get('court_outcome') or 'order').lower()}) has no "
        "payment terms recorded: add the instalment so it can be monitored."
    ),
    "unknown_transaction_type": lambda f: (
        "A transaction has a type the system does not know, so the balance may be wrong: "
        "correct the transaction."
    ),
    "unknown_charge_frequency": lambda f: (
        "A charge has a frequency the system does not know, so the weekly charge may be "
        "wrong: correct the charge."
    ),
    "notice_dates_unknown": lambda f: (
        "The notice's earliest proceedings or expiry date is missing and cannot be worked "
        "out: add the dates."
    ),
    # §3.7 open court case
    "awaiting_hearing": lambda f: (
        "Possession proceedings are issued; the hearing is "
        + (f.days_until("hearing_date") if f.get("hearing_date") else "not yet listed")
        + "."
    ),
    "hearing_soon": lambda f: (
        f"The possession hearing is {f.days_until('hearing_date')}: prepare for it. Send the "
        "tenant an up-to-date rent statement, check their benefits, and make sure they know "
        "the date and are urged to attend."
    ),
    "hearing_date_passed": lambda f: (
        f"The hearing on {_date(f.get('hearing_date'))} has passed and no outcome is "
        "recorded: record the court's decision."
    ),
    # §3.8 court order
    "awaiting_eviction_date": lambda f: (
        f"A warrant was applied for on {_date(f.get('warrant_date'))}: wait for the bailiffs' "
        "eviction date."
    ),
    "possession_date_pending": lambda f: (
        f"The court ordered possession {f.days_until('possession_date')}; wait until then."
    ),
    "possession_date_passed": lambda f: (
        f"The possession date of {_date(f.get('possession_date'))} has passed and "
        f"{pounds(f.get('arrears'))} is still owed: consider applying for a warrant."
    ),
    "court_order_breached": lambda f: (
        f"The suspended order's terms are broken: arrears are {pounds(f.get('arrears'))} "
        f"when they should be no more than {f.money('court_order_expected')}; consider "
        "applying for a warrant."
    ) if f.p.order_breach_letter_valid_days is None else (
        f"The {_order_name(f)} is broken: arrears are {f.compared} when they should be no "
        f"more than {f.money('court_order_expected')}. Write to warn that the landlord will "
        f"{_order_next_step(f)} unless the terms are kept."
    ),
    "waiting_after_order_breach_letter": lambda f: (
        f"A letter warning that the {_order_name(f)} is broken was sent "
        f"{f.ago('order_breach_letter_date')}; give the tenant {f.p.order_breach_wait_days} "
        "days to bring the payments up to date."
    ),
    "order_breach_letter_period_ended": lambda f: (
        f"The {_order_name(f)} is still broken: arrears are {f.compared} when they should be "
        f"no more than {f.money('court_order_expected')}, and the warning letter was sent "
        f"{f.ago('order_breach_letter_date')}: {_order_next_step(f)}."
    ),
    "warrant_not_executed": lambda f: (
        f"A warrant was applied for on {_date(f.get('warrant_date'))}, "
        f"{f.ago('warrant_date')}, and no eviction date is recorded: ask the court's bailiffs "
        "for a date, or reconsider the warrant."
    ),
    "court_order_kept": lambda f: (
        f"The tenant is keeping to the court order: arrears of {pounds(f.get('arrears'))} are "
        f"within the {f.money('court_order_expected')} allowed."
    ),
    "court_order_terms_breached": lambda f: (
        f"The terms of the adjournment are broken: arrears are {pounds(f.get('arrears'))} "
        f"when they should be no more than {f.money('court_order_expected')}; apply to "
        "restore the hearing."
    ),
    # §3.9 informal agreement
    "agreement_kept": lambda f: (
        f"The tenant is keeping to their agreement: arrears of {pounds(f.get('arrears'))} are "
        f"within the {f.money('agreement_expected')} allowed."
    ),
    "agreement_breached": lambda f: (
        f"The repayment agreement is broken: arrears are {f.compared} when they "
        f"should be no more than {f.money('agreement_expected')}."
    ),
    "waiting_after_breach_letter": lambda f: (
        f"A letter about the broken agreement was sent {f.ago('breach_letter_date')}; give "
        f"the tenant {f.p.breach_letter_wait_days} days to respond."
    ),
    # §3.10 promise to pay
    "promise_pending": lambda f: (
        f"The tenant promised to pay {f.money('promise_amount')} by "
        f"{_date(f.get('promise_due_date'))} and has paid {f.money('promise_paid')} since: "
        f"wait until {_date(_plus_days(f.get('promise_due_date'), f.p.promise_grace_days))} "
        "before taking the next step."
    ),
    # §5.1, §5.2
    "technical_arrears": lambda f: (
        f"The {pounds(f.get('arrears'))} owed will be cleared by the expected benefit payment "
        f"({f.money('technical_arrears')}): these are technical arrears, not chased."
    ),
    "technical_arrears_present": lambda f: (
        f"The expected benefit payment should clear {f.money('technical_arrears')} of the "
        "arrears, so that part is not chased."
    ),
    "up_to_date": lambda f: (
        "Only this rent period's charge is unpaid and it is not yet overdue: the tenant is up "
        "to date."
    ),
    "below_threshold": lambda f: (
        f"Arrears of {f.money('actionable_arrears')} are below "
        f"{pounds(f.p.minimum_arrears)}: no action needed."
    ),
    "arrears_reducing": lambda f: (
        f"The tenant is paying the arrears down (balance {f.balance}, at least "
        f"{pounds(f.p.reducing_min_reduction)} lower than {f.p.reducing_window_days} days ago): "
        "no escalation."
    ),
    # §5.3 valid notice
    "notice_period_running": lambda f: (
        f"A notice was served on {_date(f.get('notice_served_date'))}; proceedings cannot "
        f"start until {_date(f.get('notice_earliest_proceedings_date'))}."
    ),
    "garage_notice_run": lambda f: (
        f"{f.arrears} and the notice to quit served on "
        f"{_date(f.get('notice_served_date'))} has run: end the garage tenancy and take the "
        "garage back (the Pre-Action Protocol and possession claims are for homes)."
    ),
    "court_warning_due": lambda f: (
        f"{f.arrears}, at least {f.weeks_of_rent(f.p.court_threshold_weeks)}, and the notice "
        "is in force: send a warning that court action is next."
    ),
    "court_warning_period_running": lambda f: (
        f"A court warning was sent {f.ago('court_warning_date')}; wait "
        f"{f.p.court_warning_wait_days} days before taking the case further."
    ),
    "benefit_claim_pending": lambda f: (
        f"{f.arrears}, but a benefit claim is still being decided: chase the claim before "
        "taking further action."
    ),
    "pre_action_checklist_incomplete": lambda f: (
        f"{f.arrears} and the notice is in force: complete the pre-action protocol checklist "
        "before applying to court."
    ),
    "pre_action_steps_complete": lambda f: (
        f"{f.arrears}; the notice is in force, the court warning period is over and the "
        "pre-action checklist is complete: apply to court for possession."
    ),
    # §5.4 letter steps
    "small_arrears_reminder_due": lambda f: (
        f"Arrears of {f.money('actionable_arrears')} are under {pounds(f.p.letter_1_threshold)}: "
        "send a friendly reminder."
    ),
    "waiting_after_reminder": lambda f: (
        f"A reminder was sent {f.ago('reminder_date')}; wait before sending another."
    ),
    "arrears_at_letter_1_threshold": lambda f: (
        f"{f.arrears} and no arrears letter has been sent: send letter 1."
    ),
    "letter_1_period_ended": lambda f: (
        f"{f.arrears}; letter 1 was sent {f.ago('letter_1_date')} without the arrears being "
        "cleared: send letter 2."
    ),
    "waiting_after_letter_1": lambda f: (
        f"Letter 1 was sent {f.ago('letter_1_date')}; give the tenant "
        f"{f.p.letter_1_wait_days} days to pay or get in touch."
    ),
    "letter_2_period_ended": lambda f: (
        f"{f.arrears}; letter 2 was sent {f.ago('letter_2_date')} and the tenant has not been "
        "contacted since: call or visit the tenant."
    ),
    "waiting_after_letter_2": lambda f: (
        f"Letter 2 was sent {f.ago('letter_2_date')}; give the tenant "
        f"{f.p.letter_2_wait_days} days before making contact."
    ),
    "below_notice_threshold": lambda f: (
        f"{f.arrears}, below the {f.weeks_of_rent(f.p.notice_threshold_weeks)} that would "
        "justify a notice: keep in touch and encourage payment."
    ),
    "uc_apa_threshold_reached": lambda f: (
        f"{f.arrears}, at least {f.weeks_of_rent(f.p.apa_threshold_weeks)}, and Universal "
        "Credit is paid to the tenant: ask DWP to pay the housing costs to us (an APA)."
    ),
    "valid_notice_in_force": lambda f: (
        f"A notice served on {_date(f.get('notice_served_date'))} is in force until "
        f"{_date(f.get('notice_expiry_date'))}: no new notice is needed."
    ),
    "notice_threshold_reached": lambda f: (
        f"{f.arrears}, at least {f.weeks_of_rent(f.p.notice_threshold_weeks)}; letters have "
        f"been sent and the tenant contacted, and {f.last_payment()}: serve "
        f"{NOTICE_NAMES.get(f.get('notice_kind') or '', 'a notice')}."
    ),
    # supporting and blocked-by codes
    "vulnerable": lambda f: (
        "The tenant is recorded as vulnerable: offer support (money advice, benefits help) "
        "and adjust how you contact them."
    ),
}

# Every code `explain` has its own sentence for.
REASON_CODES = frozenset(_SENTENCES)
# The output columns a sentence may quote: a caller explaining many rows need pass only these
# (tests hold every sentence to this list).
FIELDS = (
    "as_of", "balance", "arrears", "technical_arrears", "actionable_arrears", "weekly_charge",
    "weeks_owed", "days_since_last_payment", "notice_kind", "pause_reason", "pause_until",
    "reminder_date", "letter_1_date", "letter_2_date", "court_warning_date",
    "notice_served_date", "notice_earliest_proceedings_date", "notice_expiry_date",
    "hearing_date", "possession_date", "warrant_date", "eviction_date",
    "agreement_expected", "court_order_expected", "breach_letter_date",
    "breathing_space_new_arrears", "court_outcome", "order_breach_letter_date",
    "promise_amount", "promise_due_date", "promise_paid",
)


def explain(code: str, row: Row, policy: PolicyParams | None = None) -> str:
    """One plain-English sentence for a reason code, quoting the row's figures."""
    facts = _Facts(row, policy or DEFAULT_POLICY)
    sentence = _SENTENCES.get(code)
    if sentence is not None:
        return sentence(facts)
    if code == row.get("pause_reason"):
        return _pause(facts)
    return f"Reason: {code.replace('_', ' ')}."



class _Unread(Exception):
    """A sentence read a figure it was not given."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class _Given(Mapping):
    """Only the given figures of a row; reading another raises _Unread (a column the frame
    lacks reads as missing, as it would from the row itself)."""

    def __init__(self, values: dict[str, Any], columns: frozenset[str]) -> None:
        self.values, self.columns = values, columns

    def __getitem__(self, key: str) -> Any:
        if key in self.values:
            return self.values[key]
        if key in self.columns:
            raise _Unread(key)
        raise KeyError(key)

    def get(self, key: str, default: Any = None) -> Any:
        try:
            return self[key]
        except KeyError:
            return default

    def __iter__(self):
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def explain_all(frame: pl.DataFrame, codes: str, policy: PolicyParams | None = None) -> pl.Series:
    """For each row of an output frame, the sentences of its codes in column `codes`
    (`reasons` or `blocked_by`), exactly as `explain` gives them, as a list column.

    A sentence depends only on the policy and the figures it reads, so each code's sentence is
    made once per distinct combination of those figures (most rows of a night say "clear" or
    "in credit" with few distinct figures). The figures a code reads are learnt as it goes: a
    sentence is made from the figures learnt so far, and reading any other one starts that
    code again with it added, so no sentence is ever made from figures it did not see.
    """
    policy = policy or DEFAULT_POLICY
    fields = [f for f in (*FIELDS, "pause_reason") if f in frame.columns]
    columns = frozenset(fields)
    long = (
        frame.select(pl.col(codes).alias("_code"), *dict.fromkeys(fields))
        .with_row_index("_row")
        .explode("_code")
        .filter(pl.col("_code").is_not_null())
        .with_columns(_pos=pl.int_range(pl.len()).over("_row"))
    )
    parts = []
    for code in long["_code"].unique().sort().to_list():
        rows = long.filter(pl.col("_code") == code)
        keys: list[str] = []
        while True:
            try:
                if not keys:  # a sentence that reads no figure: one for every row
                    said = [explain(code, _Given({}, columns), policy)]
                else:
                    combos = rows.select(keys).unique(maintain_order=True)
                    said = [
                        explain(code, _Given(dict(zip(keys, values, strict=True)), columns),
                                policy)
                        for values in combos.iter_rows()
                    ]
                break
            except _Unread as unread:
                keys.append(unread.key)
        if keys:
            made = combos.with_columns(_sentence=pl.Series(said, dtype=pl.String))
            rows = rows.join(made, on=keys, how="left", nulls_equal=True)
        else:
            rows = rows.with_columns(_sentence=pl.lit(said[0], dtype=pl.String))
        parts.append(rows.select("_row", "_pos", "_sentence"))
    index = pl.DataFrame({"_row": pl.int_range(frame.height, eager=True, dtype=pl.UInt32)})
    if not parts:
        return pl.Series(codes, [[]] * frame.height, dtype=pl.List(pl.String))
    lists = (
        pl.concat(parts)
        .sort("_row", "_pos")
        .group_by("_row", maintain_order=True)
        .agg(pl.col("_sentence"))
    )
    return (
        index.join(lists, on="_row", how="left")
        .sort("_row")
        .select(pl.col("_sentence").fill_null(pl.lit([], dtype=pl.List(pl.String))).alias(codes))
        .to_series()
    )
