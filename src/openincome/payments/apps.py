from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "openincome.payments"
    label = "payments"
    verbose_name = "Payments"
