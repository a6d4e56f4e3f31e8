"""Enrol a TOTP device (an authenticator app) for a staff member, who needs it to use the admin.

Prints the otpauth:// URI and a QR code for the terminal; scan it with the app, then log in to
/admin/ with the password and the six-digit code.
"""

from __future__ import annotations

import segno
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a confirmed TOTP device for a staff user and print its otpauth:// URI and QR code."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator", help="The device's name (default: authenticator).")
        parser.add_argument("--replace", action="store_true", help="Delete the user's existing TOTP devices first.")
        parser.add_argument("--no-qr", action="store_true", help="Print only the URI.")

    @transaction.atomic
    def handle(self, *args, username: str, name: str, replace: bool, no_qr: bool, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        if not user.is_staff:
            raise CommandError(f"{username!r} is not staff; customers enrol in 'My account'.")
        existing = TOTPDevice.objects.filter(user=user)
        if existing.exists() and not replace:
            raise CommandError(f"{username!r} already has a TOTP device; pass --replace to issue a new one.")
        existing.delete()
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        self.stdout.write(self.style.SUCCESS(f"TOTP device created for {username}."))
        self.stdout.write(device.config_url)
        if not no_qr:
            segno.make(device.config_url, error="m").terminal(out=self.stdout, compact=True)
