from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "openincome.staff"
    label = "staff"
    verbose_name = "Staff"
