"""Customer two-factor authentication: an authenticator app (TOTP) plus one-time backup codes.

Both are django-otp devices: a ``TOTPDevice`` named "aplikacja" and a ``StaticDevice`` holding the
backup codes. Two-factor authentication is on when the customer has a confirmed TOTP device; the
device stays unconfirmed until the customer has typed a current code from the app.
"""

from __future__ import annotations

import re
import secrets
from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from ebok import mail
from ebok.links import absolute_url

TOTP_NAME = "aplikacja"
BACKUP_NAME = "kody zapasowe"
TOTP_DIGITS = 6
BACKUP_DIGITS = 10


class Throttled(Exception):
    """django-otp's own back-off after wrong codes: the device refuses to check any code for a while."""


def normalize_code(value: str) -> str:
    # People copy backup codes with the hyphen we print, or type the app's code as "123 456".
    return re.sub(r"[\s-]", "", value)


def is_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def setup_start(user: User) -> TOTPDevice:
    """A new, unconfirmed device with a fresh key; an earlier unfinished setup is dropped."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False, digits=TOTP_DIGITS)


def setup_confirm(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the device if the code is current: returns the new backup codes, or None for a wrong code.

    Raises Throttled while django-otp's back-off after a wrong code is running.
    """
    if not device.verify_is_allowed()[0]:
        raise Throttled
    if not device.verify_token(normalize_code(code)):
        return None
    user = device.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()  # one app per customer
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        _notify(user, "two-factor-enabled")
    return codes


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_NAME, confirmed=True)
    # Digits only, so one numeric field takes both kinds of code; 10 digits never look like the app's 6.
    codes = [f"{secrets.randbelow(10**BACKUP_DIGITS):0{BACKUP_DIGITS}d}" for _ in range(settings.EBOK_2FA_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def disable(user: User) -> None:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        _notify(user, "two-factor-disabled")


def verify_login_code(user: User, code: str) -> Device | None:
    """The confirmed device that accepts the code (the app's or a backup code, used up), or None.

    Raises Throttled while django-otp's back-off after earlier wrong codes is running.
    """
    code = normalize_code(code)
    model = TOTPDevice if len(code) == TOTP_DIGITS else StaticDevice
    for device in model.objects.filter(user=user, confirmed=True):
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            raise Throttled
        if device.verify_token(code):
            return device
    return None


def backup_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_text(device: TOTPDevice) -> str:
    """The key for typing into the app by hand, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice, label: str) -> SafeString:
    """The otpauth:// URI as an inline SVG (presentation attributes only: the CSP allows no inline style)."""
    import segno

    svg = segno.make(device.config_url, error="m").svg_inline(scale=4, light="#fff", svgclass="totp-qr", lineclass=None)
    # segno's own markup (paths, no text from outside) plus our escaped label: safe to insert.
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308


def _notify(user: User, name: str) -> None:
    if user.email:
        mail.send(
            name,
            to=user.email,
            language=user.language,
            context={"customer_number": user.username, "account_url": absolute_url("accounts:my_account")},
        )
