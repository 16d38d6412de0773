"""The controlled vocabularies of INTERCHANGE.md, shared by models, import and export."""

PROPERTY_TYPES = ("house", "flat", "bungalow", "maisonette", "bedsit", "garage", "other")
TENURES = (
    "secure", "flexible", "introductory", "assured", "starter", "licence", "non_secure", "garage",
)
CHANNELS = ("letter", "email", "sms", "phone")
ACTION_CHANNELS = ("letter", "sms", "email", "phone", "visit", "office")
CHARGE_CODES = ("rent", "service", "water", "heating", "support", "garage", "other")
FREQUENCIES = ("weekly", "fortnightly", "four_weekly", "monthly")

DEBIT_TYPES = (
    "rent", "service", "water", "heating", "support", "garage", "other_charge",
    "court_costs", "recharge", "refund", "payment_reversal", "adjustment_debit",
)
CREDIT_TYPES = (
    "payment_dd", "payment_card", "payment_cash", "payment_bank", "payment_allpay",
    "payment_other", "hb", "uc_direct", "tpd", "dhp", "adjustment_credit", "write_off",
)
TRANSACTION_TYPES = DEBIT_TYPES + CREDIT_TYPES

# A charge code posts debits of this transaction type.
CHARGE_DEBIT_TYPE = {
    "rent": "rent", "service": "service", "water": "water", "heating": "heating",
    "support": "support", "garage": "garage", "other": "other_charge",
}

BENEFITS = ("hb", "uc")
BENEFIT_STATUSES = ("claimed", "awaiting", "in_payment", "suspended", "ended")
AGREEMENT_KINDS = ("informal",)
AGREEMENT_STATUSES = ("live", "cancelled", "completed")
NOTICE_KINDS = ("nosp_secure", "intro_s128", "section_8", "notice_to_quit")
COURT_OUTCOMES = (
    "outright", "spo", "ppo", "adjourned_on_terms", "adjourned_generally", "dismissed",
    "struck_out", "withdrawn",
)
PAUSE_REASONS = (
    "breathing_space_standard", "breathing_space_mental_health", "bereavement", "hospital",
    "complaint", "dispute", "officer_discretion",
)
ACTION_CODES = (
    "reminder_sent", "letter_1_sent", "letter_2_sent", "contact_made", "contact_attempted",
    "court_warning_sent", "pre_action_checklist_complete", "breach_letter_sent",
    "apa_requested", "statement_sent", "money_advice_referral", "note",
    # POLICY.md version 2 (at the end, so stored indexes of the older codes keep their meaning).
    "order_breach_letter_sent", "hearing_pack_prepared",
)


# Labels that plain capitalisation would get wrong.
LABELS = {"sms": "SMS", "hb": "Housing Benefit", "uc": "Universal Credit", "dhp": "DHP",
          "tpd": "Third-party deduction", "uc_direct": "UC paid direct"}


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Django choices from a vocabulary, labelled in plain English."""
    return [(v, LABELS.get(v, v.replace("_", " ").capitalize())) for v in values]


def signed(tx_type: str, amount_pence: int) -> int:
    """The signed effect on the balance of an unsigned amount of this type."""
    return amount_pence if tx_type in DEBIT_TYPES else -amount_pence
