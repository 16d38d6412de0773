from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "openincome.payments"
    label = "payments"
    verbose_name = "Payments"

    def ready(self) -> None:
        from openincome.cases.queries import add_flag
        from openincome.ledger import freshness

        from .actions import follow_account_changes
        from .queries import direct_debit_failed

        # A mandate that follows the account changes when its charge or agreement does.
        freshness.register(follow_account_changes)
        add_flag("dd_failed", direct_debit_failed)
