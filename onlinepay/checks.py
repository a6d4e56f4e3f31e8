from django.conf import settings
from django.core.checks import Warning, register

from onlinepay.variants import payu_configured


@register()
def gateway_configured(app_configs, **kwargs):
    """Without PayU's keys (and DEBUG off) the portal offers no online payment: say so at every start."""
    if settings.DEBUG or payu_configured():
        return []
    return [
        Warning(
            "Online payments are off: EBOK_PAYU_POS_ID, EBOK_PAYU_CLIENT_ID, EBOK_PAYU_CLIENT_SECRET and "
            "EBOK_PAYU_SECOND_KEY are not all set, so no page offers 'Zapłać online'.",
            hint="Set the four PayU variables (docs/online-payments.md), or ignore this if the utility takes no "
            "online payments.",
            id="onlinepay.W001",
        )
    ]


@register(deploy=True)
def not_sandbox_in_production(app_configs, **kwargs):
    if settings.DEBUG or not payu_configured() or not settings.EBOK_PAYU_SANDBOX:
        return []
    return [
        Warning(
            "EBOK_PAYU_SANDBOX is on with DEBUG off: customers would pay PayU's sandbox, not the utility.",
            hint="Set EBOK_PAYU_SANDBOX=0 with the production POS's keys.",
            id="onlinepay.W002",
        )
    ]
