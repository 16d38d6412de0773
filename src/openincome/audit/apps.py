from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "openincome.audit"
    label = "audit"
