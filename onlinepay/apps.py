from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnlinepayConfig(AppConfig):
    name = "onlinepay"
    verbose_name = _("Płatności online")

    def ready(self) -> None:
        from billing.signals import import_committed
        from onlinepay import checks, receivers  # noqa: F401  (checks register themselves)

        import_committed.connect(receivers.match_imported_payments, dispatch_uid="onlinepay.match_imported_payments")
