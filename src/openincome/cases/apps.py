from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openincome.cases"
    label = "cases"
    verbose_name = "Cases and worklists"

    def ready(self) -> None:
        from openincome.ledger import freshness

        from .nightly import refresh

        freshness.register(refresh)
