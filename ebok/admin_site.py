"""The admin site: staff need their password and a TOTP code from an enrolled device.

``manage.py add_totp_device USERNAME`` enrols a device (prints the otpauth:// URI and a QR code).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.signals import user_login_failed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from ebok.admin_names import (
    ACCUSATIVE,
    APP_NAMES,
    APP_ORDER,
    DEVICE_FIELDS,
    DEVICE_MODELS,
    DEVICE_SECTIONS,
    MODEL_NAMES,
)


class EbokAdminAuthenticationForm(OTPAdminAuthenticationForm):
    """django-otp's admin login form, asking for the one device when a person has only one.

    django-otp 1.7 makes the user pick a device explicitly (after a first submit); staff here
    have one authenticator app, so the code is checked against it straight away.
    """

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        # One message for a wrong password, a missing code and a wrong code: the page must not
        # tell someone holding a guessed password that it was right.
        "invalid_login": gettext_lazy("Nieprawidłowy login, hasło lub kod z aplikacji."),
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

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every ModelAdmin, the packages' too, gets its titles in Polish grammar (PolishTitles)."""
        from django.contrib.admin import ModelAdmin

        admin_class = admin_class or ModelAdmin
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        mixins = (PolishTitles,)
        if {m._meta.label_lower for m in models} & DEVICE_MODELS:
            mixins += (PolishDeviceFields,)
        mixins = tuple(m for m in mixins if not issubclass(admin_class, m))
        if mixins:
            admin_class = type(admin_class.__name__, (*mixins, admin_class), {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        for app in apps:
            app["name"] = APP_NAMES.get(app["app_label"], app["name"])
            for model in app["models"]:
                key = f"{app['app_label']}.{model['object_name'].lower()}"
                model["name"] = MODEL_NAMES.get(key, model["name"])
        order = {label: i for i, label in enumerate(APP_ORDER)}
        return sorted(apps, key=lambda app: (order.get(app["app_label"], len(order)), str(app["name"])))


class PolishTitles:
    """The list, add and change titles and the add button with the model's name in the accusative
    ("Wybierz sprawę do zmiany", "Dodaj sprawę"), from ebok.admin_names."""

    def _accusative(self) -> str:
        opts = self.model._meta
        return str(ACCUSATIVE.get(f"{opts.app_label}.{opts.model_name}", opts.verbose_name))

    def changelist_view(self, request, extra_context=None):
        name = self._accusative()
        title = (
            _("Wybierz %(name)s do zmiany")
            if self.has_change_permission(request)
            else _("Wybierz %(name)s do obejrzenia")
        )
        context = {"title": title % {"name": name}, "add_label": _("Dodaj %(name)s") % {"name": name}}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def add_view(self, request, form_url="", extra_context=None):
        context = {"title": _("Dodaj %(name)s") % {"name": self._accusative()}}
        return super().add_view(request, form_url, {**context, **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        name = self._accusative()
        title = _("Zmień %(name)s") if self.has_change_permission(request) else _("Obejrzyj %(name)s")
        return super().change_view(
            request, object_id, form_url, {"title": title % {"name": name}, **(extra_context or {})}
        )


class PolishDeviceFields:
    """django-otp's device admins in Polish: form labels and help texts, sections and list columns."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name in DEVICE_FIELDS:
            formfield.label, formfield.help_text = DEVICE_FIELDS[db_field.name]
        return formfield

    def get_fieldsets(self, request, obj=None):
        return [(DEVICE_SECTIONS.get(title, title), options) for title, options in super().get_fieldsets(request, obj)]

    def get_list_display(self, request):
        return [device_column(name) if name in DEVICE_FIELDS else name for name in super().get_list_display(request)]


def device_column(name: str):
    """A list column showing the field ``name`` under its Polish title."""
    from django.contrib import admin

    label = DEVICE_FIELDS[name][0]

    @admin.display(description=label, ordering=name, boolean=name == "confirmed")
    def column(obj):
        return getattr(obj, name)

    column.__name__ = f"{name}_pl"
    return column
