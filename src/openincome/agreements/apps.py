from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "openincome.agreements"
    label = "agreements"
    verbose_name = "Agreements"

    def ready(self) -> None:
        from openincome.cases.programme import add_due_source

        from .queries import instalments

        add_due_source(instalments)
