from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetersConfig(AppConfig):
    name = "meters"
    verbose_name = _("Liczniki")

    def ready(self) -> None:
        from ebok import pagecache
        from meters import models

        # The meters page and the start page (legalisation) show these (ebok.pagecache).
        pagecache.watch(models.Meter)
        pagecache.watch(models.Reading, owner="meter__customer_id")
        pagecache.watch(models.SelfReading)
