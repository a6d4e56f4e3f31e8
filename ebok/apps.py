from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class EbokConfig(AppConfig):
    default = True
    name = "ebok"
    verbose_name = "eBOK"

    def ready(self) -> None:
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_save

        from ebok import audit, checks  # noqa: F401 (checks registers the system checks)

        post_save.connect(audit.record_admin_change, sender=LogEntry, dispatch_uid="ebok_audit_admin_change")
        user_login_failed.connect(audit.record_admin_login_failed, dispatch_uid="ebok_audit_admin_login_failed")


class EbokAdminConfig(admin_apps.AdminConfig):
    """The admin, with a site that requires a verified second factor (TOTP)."""

    default = False  # "ebok" in INSTALLED_APPS means EbokConfig; this one is named explicitly

    default_site = "ebok.admin_site.EbokAdminSite"
