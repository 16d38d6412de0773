from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "openincome.cases"
    label = "cases"
    verbose_name = "Cases and worklists"
