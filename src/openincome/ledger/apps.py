from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "openincome.ledger"
    label = "ledger"
    verbose_name = "Ledger"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate, pre_migrate

        from openincome.common import appendonly

        from . import dbrole

        appendonly.guard_history()
        connection_created.connect(dbrole.switch_on_connect,
                                   dispatch_uid="openincome_app_role")
        # Sent once per app: this app's signal is enough (pre_migrate comes before any
        # migration runs; post_migrate after all of them).
        pre_migrate.connect(dbrole.before_migrate, sender=self,
                            dispatch_uid="openincome_app_role_off")
        post_migrate.connect(self._after_migrate, sender=self,
                             dispatch_uid="openincome_after_migrate")

    @staticmethod
    def _after_migrate(using: str = "default", **kwargs) -> None:
        from openincome.common import appendonly

        from . import dbrole

        # Still as the owner: only a table's owner may create its triggers.
        appendonly.install_history_triggers(using)
        dbrole.after_migrate(using)
