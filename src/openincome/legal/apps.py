from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "openincome.legal"
    label = "legal"
    verbose_name = "Legal steps"
