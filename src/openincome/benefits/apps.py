from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "openincome.benefits"
    label = "benefits"
    verbose_name = "Benefits"

    def ready(self) -> None:
        from openincome.cases.queries import add_flag

        from .queries import on_universal_credit, request_to_chase, verification_due

        add_flag("on_uc", on_universal_credit)
        add_flag("verification_due", verification_due)
        add_flag("request_to_chase", request_to_chase)
