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

# Vulnerabilities an officer can record (tenants.csv may carry other codes: they are kept).
VULNERABILITY_LABELS = {
    "mental_health": "Mental health condition",
    "physical_disability": "Physical disability",
    "long_term_illness": "Long-term illness",
    "learning_disability": "Learning disability",
    "hearing": "Deaf or hard of hearing",
    "sight": "Blind or partially sighted",
    "low_literacy": "Difficulty reading or writing",
    "domestic_abuse": "Domestic abuse",
    "addiction": "Drug or alcohol dependency",
    "care_leaver": "Care leaver",
    "recent_bereavement": "Recent bereavement",
    "other": "Other",
}
VULNERABILITIES = tuple(VULNERABILITY_LABELS)


def vulnerability_label(code: str) -> str:
    """The plain-English label of a vulnerability code (an unknown one in words)."""
    return VULNERABILITY_LABELS.get(code, code.replace("_", " ").capitalize())


# The engine's recommended actions (POLICY.md §8), as the worklist and account page name them.
ENGINE_ACTION_LABELS = {
    "none": "No action",
    "paused": "Paused",
    "send_reminder": "Send a reminder",
    "send_letter_1": "Send letter 1",
    "send_letter_2": "Send letter 2",
    "contact_tenant": "Contact the tenant",
    "request_apa": "Request managed payment (APA)",
    "chase_benefit_claim": "Chase the benefit claim",
    "serve_notice": "Serve notice",
    "send_court_warning": "Send court warning",
    "complete_pre_action_checklist": "Complete pre-action checklist",
    "apply_for_court": "Apply for court",
    "update_court_outcome": "Record the court outcome",
    "apply_for_warrant": "Apply for a warrant",
    "restore_hearing": "Restore the hearing",
    "review_breached_agreement": "Review the broken agreement",
    "request_breathing_space_review": "Ask for a Breathing Space review",
    "fta_recovery": "Former tenant arrears recovery",
    "refund_review": "Review a refund",
    "check_data": "Check the data",
    # POLICY.md version 2
    "prepare_for_hearing": "Prepare for the hearing",
    "send_order_breach_letter": "Warn that the court order is broken",
    "apply_to_fix_possession_date": "Apply to fix a possession date",
    "chase_eviction_date": "Chase the eviction date",
    "end_garage_tenancy": "End the garage tenancy",
}

# The one label registry: every code of every vocabulary above (and of the contact log, the
# engine's actions and roles) as a page shows it. A code missing here still reads as words
# (see label), but one whose plain capitalisation is wrong ("Sms", "Apa", "Non secure",
# "Nosp secure") must be listed.
LABELS = {
    # tenure
    "secure": "Secure", "flexible": "Flexible", "introductory": "Introductory",
    "assured": "Assured", "starter": "Starter", "licence": "Licence",
    "non_secure": "Non-secure", "garage": "Garage",
    # channels (the contact log's too)
    "letter": "Letter", "email": "Email", "sms": "SMS", "phone": "Phone", "visit": "Visit",
    "office": "Office visit", "outbound": "We contacted the tenant",
    "inbound": "The tenant contacted us",
    # contact outcomes
    "spoke_to_tenant": "Spoke to the tenant", "no_answer": "No answer",
    "left_message": "Left a message", "wrong_number": "Wrong number",
    "message_received": "Message received", "promised_to_pay": "Promised to pay",
    "sent": "Sent by Open Income",
    # charges and frequencies
    "rent": "Rent", "service": "Service charge", "water": "Water", "heating": "Heating",
    "support": "Support charge", "other": "Other", "weekly": "Weekly",
    "fortnightly": "Fortnightly", "four_weekly": "Every four weeks", "monthly": "Monthly",
    # transaction types
    "other_charge": "Other charge", "court_costs": "Court costs", "recharge": "Recharge",
    "refund": "Refund", "payment_reversal": "Payment reversed",
    "adjustment_debit": "Adjustment (debit)", "payment_dd": "Direct Debit payment",
    "payment_card": "Card payment", "payment_cash": "Cash payment",
    "payment_bank": "Bank payment", "payment_allpay": "Allpay payment",
    "payment_other": "Other payment", "hb": "Housing Benefit", "uc": "Universal Credit",
    "uc_direct": "Universal Credit paid to us", "tpd": "Third-party deduction",
    "dhp": "Discretionary Housing Payment", "adjustment_credit": "Adjustment (credit)",
    "write_off": "Write-off",
    # benefit claims
    "claimed": "Claimed", "awaiting": "Awaiting a decision", "in_payment": "In payment",
    "suspended": "Suspended", "ended": "Ended",
    # agreements
    "informal": "Informal", "live": "Live", "cancelled": "Cancelled", "completed": "Completed",
    # notices
    "nosp_secure": "Notice of seeking possession",
    "intro_s128": "Notice of proceedings for an introductory tenancy",
    "section_8": "Section 8 notice", "notice_to_quit": "Notice to quit",
    # court outcomes
    "outright": "Outright possession order", "spo": "Suspended possession order",
    "ppo": "Postponed possession order", "adjourned_on_terms": "Adjourned on terms",
    "adjourned_generally": "Adjourned generally", "dismissed": "Dismissed",
    "struck_out": "Struck out", "withdrawn": "Withdrawn",
    # pause reasons
    "breathing_space_standard": "Breathing Space (standard)",
    "breathing_space_mental_health": "Breathing Space (mental health crisis)",
    "bereavement": "Bereavement", "hospital": "Hospital", "complaint": "Complaint",
    "dispute": "Dispute", "officer_discretion": "Officer's discretion",
    # recorded actions
    "reminder_sent": "Reminder sent", "letter_1_sent": "Letter 1 sent",
    "letter_2_sent": "Letter 2 sent", "contact_made": "Contact made",
    "contact_attempted": "Contact attempted", "court_warning_sent": "Court warning sent",
    "pre_action_checklist_complete": "Pre-action checklist complete",
    "breach_letter_sent": "Broken agreement letter sent",
    "apa_requested": "Managed payment (APA) requested", "statement_sent": "Statement sent",
    "money_advice_referral": "Referred for money advice", "note": "Note",
    "order_breach_letter_sent": "Broken court order letter sent",
    "hearing_pack_prepared": "Hearing pack prepared",
    # property types
    "house": "House", "flat": "Flat", "bungalow": "Bungalow", "maisonette": "Maisonette",
    "bedsit": "Bedsit",
    # roles (staff.roles)
    "officer": "Income officer", "team_leader": "Team leader", "manager": "Manager",
    "finance": "Finance", "admin": "Administrator",
    **ENGINE_ACTION_LABELS,
}


def label(code: str | None) -> str:
    """The plain-English label of any vocabulary code (words, never the code, when unknown)."""
    if not code:
        return ""
    return LABELS.get(code) or code.replace("_", " ").strip().capitalize()


def labelled(values) -> list[tuple[str, str]]:
    """(code, label) pairs for a form's choices, from the one registry."""
    return [(v, label(v)) for v in values]


# Model fields keep the labels their migrations were made with (changing them would need a
# migration for no change of data); pages and forms use `label` and `labelled`.
_MODEL_LABELS = {"sms": "SMS", "hb": "Housing Benefit", "uc": "Universal Credit", "dhp": "DHP",
                 "tpd": "Third-party deduction", "uc_direct": "UC paid direct"}


def choices(values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Django model choices from a vocabulary (as frozen in the migrations)."""
    return [(v, _MODEL_LABELS.get(v, v.replace("_", " ").capitalize())) for v in values]


def signed(tx_type: str, amount_pence: int) -> int:
    """The signed effect on the balance of an unsigned amount of this type."""
    return amount_pence if tx_type in DEBIT_TYPES else -amount_pence
