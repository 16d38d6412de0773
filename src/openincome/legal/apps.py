from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "openincome.legal"
    label = "legal"
    verbose_name = "Legal steps"

    def ready(self) -> None:
        from openincome.cases.programme import add_due_source

        from .queries import hearings, notice_dates

        add_due_source(hearings)
        add_due_source(notice_dates)
