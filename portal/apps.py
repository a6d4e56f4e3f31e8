from django.apps import AppConfig


class PortalConfig(AppConfig):
    """What gathers the other apps for the customer: the front door, the start page, the tab bar."""

    name = "portal"
