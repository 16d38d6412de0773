"""Repayment agreements: what was agreed (monitoring and breach arrive with their issue)."""
