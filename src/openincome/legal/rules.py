"""Who may serve notices (django-rules)."""

import rules

from openincome.staff.rules import is_manager, is_officer, is_team_leader

# Recording a notice served: the income team (approvals under delegated authority are still
# to come, issue 16 item 3).
rules.add_perm("legal.serve_notice", is_officer | is_team_leader | is_manager)

# The court stage (issue 16 part B): recording hearings, orders, warrants and evictions, and
# reading the court lists and documents (they hold the tenants' personal data).
rules.add_perm("legal.record_court_step", is_officer | is_team_leader | is_manager)
rules.add_perm("legal.view_court", is_officer | is_team_leader | is_manager)
