from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "openincome.agreements"
    label = "agreements"
    verbose_name = "Agreements"
