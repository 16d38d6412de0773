from django.apps import AppConfig


class LegalConfig(AppConfig):
    name = "openincome.legal"
    label = "legal"
    verbose_name = "Legal steps"

    def ready(self) -> None:
        from openincome.cases.programme import add_due_source
        from openincome.cases.queries import add_flag

        from . import rules  # noqa: F401 - registers the app's permissions
        from .queries import hearings, next_hearing, notice_dates

        add_due_source(hearings)
        add_due_source(notice_dates)
        add_flag("hearing", next_hearing)
