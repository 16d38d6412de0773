from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "openincome.letters"
    label = "letters"
    verbose_name = "Letters, messages and statements"

    def ready(self) -> None:
        from openincome.cases.nightly import add_after_run
        from openincome.cases.queries import add_flag

        from .auto import after_nightly
        from .queries import undelivered

        # The nightly run sends what the policy automates (cases imports no letters code).
        add_after_run(after_nightly)
        # A letter or message that will not arrive shows on the worklist row.
        add_flag("undelivered", undelivered)
