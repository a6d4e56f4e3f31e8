"""Links other apps put in e-mails without importing onlinepay (settings.EBOK_REMINDER_PAY_LINK)."""

from __future__ import annotations

from urllib.parse import urlencode

from ebok.links import absolute_url
from onlinepay.variants import active_variant


def reminder_pay_url(numbers: list[str]) -> str | None:
    """The pay page with these documents chosen (it asks for a login first); None with no gateway."""
    if active_variant() is None or not numbers:
        return None
    return absolute_url("onlinepay:pay") + "?" + urlencode([("dokument", n) for n in numbers])
