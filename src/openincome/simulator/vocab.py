"""Codes of the officer history as the interchange files spell them (index = code)."""

from __future__ import annotations

import numpy as np

from openincome.ledger import vocab as _ledger_vocab

# The recorded-action codes of POLICY.md §8, from the ledger's vocabulary (index = code).
ACTION_CODES = _ledger_vocab.ACTION_CODES
(
    REMINDER,
    LETTER_1,
    LETTER_2,
    CONTACT_MADE,
    CONTACT_ATTEMPTED,
    COURT_WARNING,
    CHECKLIST,
    BREACH_LETTER,
    APA_REQUESTED,
    STATEMENT,
    MONEY_ADVICE,
    NOTE,
    ORDER_BREACH_LETTER,
    HEARING_PACK,
) = range(len(ACTION_CODES))
ACTION_CHANNELS = _ledger_vocab.ACTION_CHANNELS
CH_LETTER, CH_SMS, CH_EMAIL, CH_PHONE, CH_VISIT, CH_OFFICE = range(6)
# people.CHANNELS (letter, email, sms, phone) -> the channel a reminder goes by.
REMINDER_CHANNEL = np.array([CH_LETTER, CH_EMAIL, CH_SMS, CH_PHONE])
NOTES = (  # note texts; 0 is no note
    "",
    "Discussed income and outgoings; agreed to pay towards arrears",
    "Tenant says payment is on its way",
    "Left card at the door",
    "Tenant asked for a statement",
    "Garage let ended: notice to quit expired with arrears",
    "Tenant disputes the balance; passed to the team leader",
)
PAUSE_REASONS = _ledger_vocab.PAUSE_REASONS
NOTICE_KINDS = _ledger_vocab.NOTICE_KINDS
NOSP, INTRO, S8, NTQ = range(4)
OUTCOMES = _ledger_vocab.COURT_OUTCOMES
OUTRIGHT, SPO, PPO, AOT, ADJ_GEN, DISMISSED, STRUCK_OUT, WITHDRAWN = range(8)
NOTE_GARAGE_ENDED = 5
