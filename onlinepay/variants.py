"""Which gateway pays, read from the settings at each call (django-payments' PAYMENT_VARIANT_FACTORY).

- ``payu``: PayU's REST API, when the four PayU settings are all set (docs/online-payments.md);
- ``dummy``: django-payments' dummy provider, only with DEBUG on and no PayU keys, so `make run`
  pays offline;
- none: no "Zapłać online" anywhere, and a system check says why (onlinepay.W001).
"""

from __future__ import annotations

from django.conf import settings

PAYU = "payu"
DUMMY = "dummy"


def payu_configured() -> bool:
    return all(
        getattr(settings, name, "")
        for name in ("EBOK_PAYU_POS_ID", "EBOK_PAYU_CLIENT_ID", "EBOK_PAYU_CLIENT_SECRET", "EBOK_PAYU_SECOND_KEY")
    )


def active_variant() -> str | None:
    if payu_configured():
        return PAYU
    if settings.DEBUG and settings.EBOK_ONLINEPAY_DEMO:
        return DUMMY
    return None


def provider_factory(variant: str, payment=None):
    """Build the provider of ``variant`` from today's settings (cheap: no network here)."""
    if variant == PAYU:
        from onlinepay.payu import PayuProvider

        return PayuProvider.from_settings()
    if variant == DUMMY:
        from payments.dummy import DummyProvider

        return DummyProvider()
    raise ValueError(f"Payment variant does not exist: {variant}")
