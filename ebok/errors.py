"""Error pages that never show internals, whatever DEBUG says about the 500 path.

400, 403 and 404 render with the site layout. 500 and 503 render from templates that need no
context processor, session or database: the database may be why we are here.
"""

from __future__ import annotations

import sys

from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

from ebok.middleware import DATABASE_ERRORS, database_unavailable_response


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason: str = ""):
    # Django's own CSRF page explains the mechanism in English; a customer needs "try again".
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Called inside Django's exception handler, so the exception is still current: a database
    # outage anywhere (a middleware saving the session, say) becomes the 503 page, not a 500.
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_ERRORS):
        return database_unavailable_response(request, exc)
    return HttpResponse(loader.get_template("errors/500.html").render({}), status=500)
