from django.conf import settings
from django.core.checks import Error, register


@register()
def recaptcha_not_disabled_in_production(app_configs, **kwargs):
    """The CAPTCHA may be off only for offline development."""
    if getattr(settings, "RECAPTCHA_DISABLED", False) and not settings.DEBUG:
        return [
            Error(
                "RECAPTCHA_DISABLED is on while DEBUG is off: registration would have no CAPTCHA.",
                hint="Set RECAPTCHA_PUBLIC_KEY and RECAPTCHA_PRIVATE_KEY and RECAPTCHA_DISABLED=0.",
                id="accounts.E001",
            )
        ]
    return []
