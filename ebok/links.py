"""Absolute links to the portal, for e-mails: EBOK_SITE_URL followed by a URL name's path."""

from django.conf import settings
from django.urls import reverse


def absolute_url(name: str, *args, **kwargs) -> str:
    """``absolute_url("cases:detail", 7)`` → ``https://ebok.example.pl/sprawy/7/``."""
    return settings.EBOK_SITE_URL + reverse(name, args=args, kwargs=kwargs)
