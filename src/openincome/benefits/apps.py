from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "openincome.benefits"
    label = "benefits"
    verbose_name = "Benefits"
