from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "notices"
    verbose_name = _("Powiadomienia")

    def ready(self) -> None:
        from billing.signals import import_committed
        from notices import receivers

        # billing imports no other app: it announces the import, notices listens.
        import_committed.connect(receivers.announce_new_documents, dispatch_uid="notices.announce_new_documents")
