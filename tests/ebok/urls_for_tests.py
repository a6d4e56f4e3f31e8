"""A URLconf for tests of cross-cutting machinery: a CAPTCHA form, a view that loses its database."""

from __future__ import annotations

from django import forms
from django.db import OperationalError
from django.http import HttpResponse
from django.template import Context, Template
from django.urls import include, path
from django_recaptcha.fields import ReCaptchaField
from django_recaptcha.widgets import ReCaptchaV2Checkbox

from ebok.security import csp_recaptcha

_PAGE = Template("<!doctype html><title>t</title><form method='post'>{{ form.as_div }}</form>")


class CaptchaForm(forms.Form):
    captcha = ReCaptchaField(widget=ReCaptchaV2Checkbox)


@csp_recaptcha
def captcha_page(request):
    return HttpResponse(_PAGE.render(Context({"form": CaptchaForm()})))


def plain_page(request):
    return HttpResponse("<!doctype html><title>t</title><p>plain</p>")


def database_gone(request):
    raise OperationalError("could not connect to server: Connection refused")


def crash(request):
    raise RuntimeError("secret internals: /srv/ebok/settings.py line 42")


urlpatterns = [
    path("captcha/", captcha_page),
    path("plain/", plain_page),
    path("database-gone/", database_gone),
    path("crash/", crash),
    path("", include("ebok.urls")),
]

handler400 = "ebok.errors.bad_request"
handler403 = "ebok.errors.permission_denied"
handler404 = "ebok.errors.not_found"
handler500 = "ebok.errors.server_error"
