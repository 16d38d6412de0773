from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "openincome.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from openincome.cases.programme import add_due_source
        from openincome.ledger import freshness

        from . import rules  # noqa: F401 - registers the app's permissions
        from .actions import complete_on_refresh
        from .queries import instalments

        add_due_source(instalments)
        # Registered after the cases app's refresher: a completion touches the tenancy again,
        # so its worklist row is classified once more with the agreement ended.
        freshness.register(complete_on_refresh)
