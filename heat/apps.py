from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeatConfig(AppConfig):
    name = "heat"
    verbose_name = _("Dyspozycje i wnioski")

    def ready(self) -> None:
        from cases import owners, panels
        from heat.panels import request_panel, request_status_owner

        # The case page shows a request's typed data; cases knows nothing of heat, heat plugs in.
        panels.register(request_panel)
        # The case admin leaves a request's case status to the request (HeatRequest.CASE_STATUS).
        owners.register(request_status_owner)
