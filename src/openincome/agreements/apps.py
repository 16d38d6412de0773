from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "openincome.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from openincome.ledger import freshness

        from .actions import complete_on_refresh

        # Registered after the cases app's refresher: a completion touches the tenancy again,
        # so its worklist row is classified once more with the agreement ended.
        freshness.register(complete_on_refresh)
