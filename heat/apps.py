from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeatConfig(AppConfig):
    name = "heat"
    verbose_name = _("Dyspozycje i wnioski")

    def ready(self) -> None:
        from cases.panels import register
        from heat.panels import request_panel

        # The case page shows a request's typed data; cases knows nothing of heat, heat plugs in.
        register(request_panel)
