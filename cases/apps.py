from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Sprawy")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from cases import models
        from ebok import pagecache

        connection_created.connect(_sqlite_fold)

        # The case pages, and the unread badge on every customer page (ebok.pagecache). Reading a
        # case marks messages read with one UPDATE: cases.services.mark_read bumps for it.
        pagecache.watch(models.Case)
        pagecache.watch(models.Message, owner="case__customer_id")
        pagecache.watch(models.Attachment, owner="message__case__customer_id")
        pagecache.watch_all(models.CaseType)  # type names show in every customer's case lists


def _sqlite_fold(sender, connection, **kwargs) -> None:
    """SQLite has no unaccent: the case search folds text with the same Python function there."""
    if connection.vendor == "sqlite":
        from cases.selectors import fold

        connection.connection.create_function("EBOK_FOLD", 1, fold, deterministic=True)
