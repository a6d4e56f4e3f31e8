"""Absolute links to the portal, for e-mails and gateways: EBOK_SITE_URL followed by a path."""

from django.conf import settings
from django.urls import reverse

from ebok.access import reverse_for_customer


def site_url(path: str) -> str:
    """``site_url("/sprawy/7/")`` → ``https://ebok.example.pl/sprawy/7/``."""
    return settings.EBOK_SITE_URL + path


def absolute_url(name: str, *args, **kwargs) -> str:
    """``absolute_url("cases:detail", 7)`` → ``https://ebok.example.pl/sprawy/7/``."""
    return site_url(reverse(name, args=args, kwargs=kwargs))


def customer_url(name: str, number: str | None, *args, **kwargs) -> str:
    """The link naming customer ``number`` (None: naming none), for a login that may reach several:
    ``customer_url("billing:point", "100001", "PO-1")`` → ``https://…/odbiorca/100001/punkty-odbioru/PO-1/``."""
    return site_url(reverse_for_customer(name, number, *args, **kwargs))
