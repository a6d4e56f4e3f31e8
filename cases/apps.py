from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Sprawy")

    def ready(self) -> None:
        from cases import models, receivers  # noqa: F401 - receivers connect on import
        from ebok import pagecache

        # The case pages, and the unread badge on every customer page (ebok.pagecache). Reading a
        # case marks messages read with one UPDATE: cases.services.mark_read bumps for it.
        pagecache.watch(models.Case)
        pagecache.watch(models.Message, owner="case__customer_id")
        pagecache.watch(models.Attachment, owner="message__case__customer_id")
        pagecache.watch_all(models.CaseType)  # type names show in every customer's case lists
