"""Absolute links to the portal, for e-mails and gateways: EBOK_SITE_URL followed by a path.

``absolute_url`` and ``customer_url`` build the same link inside a request and outside one: the
customer a request's URL names (``ebok.access``) is never carried over by accident.
"""

from django.conf import settings

from ebok.access import reverse_for_customer


def site_url(path: str) -> str:
    """``site_url("/sprawy/7/")`` → ``https://ebok.example.pl/sprawy/7/``."""
    return settings.EBOK_SITE_URL + path


def absolute_url(name: str, /, *args, **kwargs) -> str:
    """A link naming no customer (pages of the login, the public ones, the admin):
    ``absolute_url("outages:public")`` → ``https://ebok.example.pl/przerwy/``."""
    return site_url(reverse_for_customer(name, None, *args, **kwargs))


def customer_url(name: str, number: str, /, *args, **kwargs) -> str:
    """A link naming customer ``number``, for mail to a login that may reach several:
    ``customer_url("cases:detail", "100001", 7)`` → ``https://ebok.example.pl/odbiorca/100001/sprawy/7/``.
    It shows that customer whichever customer the login last looked at."""
    return site_url(reverse_for_customer(name, number, *args, **kwargs))
