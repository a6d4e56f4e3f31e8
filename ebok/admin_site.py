"""The admin site: staff need their password and a TOTP code from an enrolled device.

``manage.py add_totp_device USERNAME`` enrols a device (prints the otpauth:// URI and a QR code).
"""

from __future__ import annotations

from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class EbokAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """django-otp's admin login form, asking for the one device when a person has only one.

    django-otp 1.7 makes the user pick a device explicitly (after a first submit); staff here
    have one authenticator app, so the code is checked against it straight away.
    """

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None and not self.cleaned_data.get("otp_device"):
            devices = list(devices_for_user(user))
            if len(devices) == 1:
                return devices[0]
        return device


class EbokAdminSite(OTPAdminSite):
    login_form = EbokAdminAuthenticationForm
    login_template = "admin/otp_login.html"

    def __init__(self, name: str = "admin"):
        # Keep the admin's usual name so reverse("admin:...") works everywhere.
        super().__init__(name)
