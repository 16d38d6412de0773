"""Who may take the legal steps (django-rules)."""

import rules

from openincome.staff.rules import is_manager, is_officer, is_team_leader

income_team = is_officer | is_team_leader | is_manager
# Recording a notice served: the income team (the gates ask for an approval too).
rules.add_perm("legal.serve_notice", income_team)
# The pre-action checklist, proportionality assessments, approval requests, claims and
# warrant applications: the income team; each escalation still needs an approval.
rules.add_perm("legal.protocol", income_team)
# Deciding a request under delegated authority: team leaders and managers (the policy's
# limits and the rule that nobody decides their own request are checked in the action).
rules.add_perm("legal.decide_approval", is_team_leader | is_manager)

# The court stage (issue 16 part B): recording hearings, orders, warrants and evictions, and
# reading the court lists and documents (they hold the tenants' personal data).
rules.add_perm("legal.record_court_step", is_officer | is_team_leader | is_manager)
rules.add_perm("legal.view_court", is_officer | is_team_leader | is_manager)
