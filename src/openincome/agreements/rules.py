"""Who may read the team's support referrals (django-rules)."""

import rules

from openincome.staff.rules import is_manager, is_team_leader

# The list of every household's referrals (safeguarding and mental-health support among them)
# is for the team's leads, who follow them up; an officer sees a referral on the account.
rules.add_perm("agreements.view_referrals", is_team_leader | is_manager)
