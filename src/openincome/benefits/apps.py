from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "openincome.benefits"
    label = "benefits"
    verbose_name = "Benefits"

    def ready(self) -> None:
        from openincome.cases.queries import add_flag

        from .queries import on_universal_credit

        add_flag("on_uc", on_universal_credit)
