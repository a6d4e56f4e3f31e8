"""System checks for a production start: what `manage.py check --deploy` should catch beyond Django's own."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def production_configuration(app_configs, **kwargs):
    if settings.DEBUG:
        return []
    # A disabled CAPTCHA with DEBUG off is accounts.E001, checked at every start, not only --deploy.
    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(
            Warning(
                "The database is not PostgreSQL; production runs on PostgreSQL.",
                hint="Set DATABASE_URL=postgres://...",
                id="ebok.W001",
            )
        )
    if not settings.EMAIL_HOST:
        problems.append(
            Warning("EMAIL_HOST is not set: no e-mail would leave the server.", hint="Set EMAIL_HOST.", id="ebok.W002")
        )
    return problems
