from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Rozliczenia")

    def ready(self) -> None:
        from django.urls import register_converter

        from billing.converters import KeyConverter

        # <key:…> in URLs takes any key the import accepts, `/` included (meters, points, letters).
        register_converter(KeyConverter, "key")
