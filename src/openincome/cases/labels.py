"""Plain-English labels for the engine's actions (POLICY.md §8)."""

ACTION_LABELS = {
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
}


def action_label(code: str) -> str:
    """The label of an action code (the code itself when unknown)."""
    return ACTION_LABELS.get(code, code.replace("_", " ").capitalize())
