"""Print the current admin sign-in code of a demo staff account (development only).

`make run` enrols the demo admin for TOTP; a newcomer without an authenticator app runs
`.venv/bin/python manage.py demo_totp_code` to get the six digits for /admin/. Refuses DEBUG=0:
in production the code comes only from the staff member's own device.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Development only: print the current TOTP code of a staff account (default: the demo admin)."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?", default="admin")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("demo_totp_code is for development only (DEBUG is off).")
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() if user else None
        if device is None:
            raise CommandError(f"No staff account {username!r} with a TOTP device.")
        now = int(time.time())
        code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
        left = device.step - (now - device.t0) % device.step
        self.stdout.write(f"{code:0{device.digits}d}  (valid for {left} more seconds)")
