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


class FailsAfterTheView:
    """Raises on the way out, where SessionMiddleware saves the session: an error outside any view.

    Put in MIDDLEWARE by a test; only the 500 handler (ebok.errors.server_error) sees the error.
    ``?error=`` says which: the database lost (the default), Redis lost, or a plain bug.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        error = request.GET.get("error")
        if error == "redis":
            from redis.exceptions import ConnectionError as RedisConnectionError

            raise RedisConnectionError("Error 111 connecting to 10.0.0.5:6379. Connection refused.")
        if error == "bug":
            raise RuntimeError("secret internals: /srv/ebok/settings.py line 42")
        raise OperationalError("server closed the connection unexpectedly")


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
