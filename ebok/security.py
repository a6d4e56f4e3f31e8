"""Content-Security-Policy helpers: the reCAPTCHA exception and the nonce in widget templates.

The site-wide policy (settings.CONTENT_SECURITY_POLICY) allows scripts from our own origin only.
Google's reCAPTCHA needs its own hosts and runs a script tag we cannot move to a static file, so the
views that show it are decorated with ``@csp_recaptcha``: only their responses allow Google's hosts,
and the script tag carries the per-request nonce.
"""

from __future__ import annotations

import contextvars
from functools import wraps

from csp.constants import NONCE
from django.forms.renderers import TemplatesSetting

# Set by ebok.middleware.RequestLogMiddleware for the length of a request.
current_request_var: contextvars.ContextVar = contextvars.ContextVar("ebok_current_request", default=None)

RECAPTCHA_SCRIPT_SOURCES = ["https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"]
RECAPTCHA_FRAME_SOURCES = ["https://www.google.com/recaptcha/"]


def csp_recaptcha(view):
    """Widen the CSP of this view's responses just enough for the reCAPTCHA v2 checkbox."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_update = {
            **(getattr(response, "_csp_update", None) or {}),
            "script-src": [NONCE, *RECAPTCHA_SCRIPT_SOURCES],
            "frame-src": RECAPTCHA_FRAME_SOURCES,
        }
        return response

    return wrapped


class NonceFormRenderer(TemplatesSetting):
    """Renders widgets through TEMPLATES (so project overrides apply) with ``csp_nonce`` in the context.

    Django renders widgets without the request, so the nonce comes from the request the middleware
    recorded; reading it is what makes django-csp add it to the header.
    """

    def render(self, template_name, context, request=None):
        current = request or current_request_var.get()
        nonce = getattr(current, "csp_nonce", None) if current is not None else None
        if nonce is not None:
            context = {**context, "csp_nonce": str(nonce)}
        return super().render(template_name, context, request=request)
