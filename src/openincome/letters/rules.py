"""Who may send, edit templates, read the outbox, and report delivery (django-rules)."""

import rules

from openincome.staff.rules import is_admin, is_manager, is_officer, is_team_leader


class DeliveryService:
    """The caller of the delivery status callback once its bearer token is checked."""

    is_authenticated = False


@rules.predicate
def is_delivery_service(user) -> bool:
    """Whether the caller is the provider's delivery callback (its token checked)."""
    return isinstance(user, DeliveryService)


# Sending letters and messages, and closing a failed delivery's task: the income team.
rules.add_perm("letters.send", is_officer | is_team_leader | is_manager)
# Editing the wording of templates: administrators.
rules.add_perm("letters.edit_templates", is_admin)
# Choosing which communications go out automatically (the policy's auto_send): administrators.
rules.add_perm("letters.edit_auto_send", is_admin)
# Reading the recording notifier's outbox: administrators and the team's leads.
rules.add_perm("letters.view_outbox", is_admin | is_team_leader | is_manager)
# Reporting a delivery status: the provider's callback only.
rules.add_perm("letters.report_delivery", is_delivery_service)
