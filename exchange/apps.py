from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExchangeConfig(AppConfig):
    """The exchange with the billing system: the import, the demo export, the exports back.

    Above billing and meters (it writes their tables), so neither of them imports it."""

    name = "exchange"
    verbose_name = _("Wymiana z systemem rozliczeniowym")
