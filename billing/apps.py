from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "billing"
    verbose_name = _("Rozliczenia")

    def ready(self) -> None:
        from django.urls import register_converter

        from billing import models
        from billing.converters import KeyConverter
        from billing.signals import import_committed
        from ebok import pagecache

        # What the customer pages show: a staff edit bumps that customer's cached pages; the
        # import writes in bulk (no per-row signals) and bumps every page once it is committed.
        pagecache.watch(models.Customer, owner="pk")
        for model in (models.Contract, models.DeliveryPoint, models.Document, models.OtherDocument, models.Payment):
            pagecache.watch(model)
        import_committed.connect(pagecache.bump_on_import, dispatch_uid="ebok.pagecache.bump_on_import")
        # <key:…> in URLs takes any key the import accepts, `/` included (meters, points, letters).
        register_converter(KeyConverter, "key")
