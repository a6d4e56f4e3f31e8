"""The admin site: staff need their password and a TOTP code from an enrolled device.

``manage.py add_totp_device USERNAME`` enrols a device (prints the otpauth:// URI and a QR code).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class EbokAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """django-otp's admin login form, asking for the one device when a person has only one.

    django-otp 1.7 makes the user pick a device explicitly (after a first submit); staff here
    have one authenticator app, so the code is checked against it straight away.
    """

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        # One message for a wrong password, a missing code and a wrong code: the page must not
        # tell someone holding a guessed password that it was right.
        "invalid_login": _("Nieprawidłowy login, hasło lub kod z aplikacji."),
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if self.get_user() is not None:
                # The password was right and the code was not: a failed login all the same, counted
                # by axes toward the lockout like a wrong password.
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username"), "stage": "code"},
                    request=self.request,
                )
            # django-otp re-renders the password and lists the devices after a right password.
            self.fields["password"].widget.render_value = False
            self.fields["otp_device"].widget.choices = []
            raise self.get_invalid_login_error() from None

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
