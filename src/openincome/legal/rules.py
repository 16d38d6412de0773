"""Who may serve notices (django-rules)."""

import rules

from openincome.staff.rules import is_manager, is_officer, is_team_leader

# Recording a notice served: the income team (approvals under delegated authority are still
# to come, issue 16 item 3).
rules.add_perm("legal.serve_notice", is_officer | is_team_leader | is_manager)
