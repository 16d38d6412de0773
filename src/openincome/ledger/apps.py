from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openincome.ledger"
    label = "ledger"
    verbose_name = "Ledger"
