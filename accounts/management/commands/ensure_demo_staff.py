"""Create (or show) the demo staff login for `make run`. Refuses to run with DEBUG off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from ebok.links import absolute_url

DEMO_USERNAME = "admin"
DEMO_PASSWORD = "Demo-eBOK-2026"  # noqa: S105 (development only; the command refuses DEBUG=0)


class Command(BaseCommand):
    help = "Create the demo staff account (admin / Demo-eBOK-2026) if missing, and print its login."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_demo_staff is for development only (DEBUG is off).")
        user, created = User.objects.get_or_create(
            username=DEMO_USERNAME,
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@localhost"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        state = "created" if created else "exists"
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo staff login ({state}): {absolute_url('admin:index')}  user: {DEMO_USERNAME}  password: "
                f"{DEMO_PASSWORD if created or user.check_password(DEMO_PASSWORD) else '(changed by you)'}"
            )
        )
        # The admin requires a second factor (ebok.admin_site): give the demo login an authenticator.
        device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"name": "demo", "confirmed": True})
        self.stdout.write(f"Its TOTP (add to an authenticator app, or scan with segno): {device.config_url}")
        self.stdout.write("No authenticator app at hand? `.venv/bin/python manage.py demo_totp_code` prints the code.")
