from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Sprawy")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from cases import receivers  # noqa: F401 - receivers connect on import

        connection_created.connect(_sqlite_fold)


def _sqlite_fold(sender, connection, **kwargs) -> None:
    """SQLite has no unaccent: the case search folds text with the same Python function there."""
    if connection.vendor == "sqlite":
        from cases.selectors import fold

        connection.connection.create_function("EBOK_FOLD", 1, fold, deterministic=True)
