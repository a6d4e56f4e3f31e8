"""Request-wide middleware: the request log with its id, and 503 pages while the database is away."""

from __future__ import annotations

import ipaddress
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.functional import empty
from django.utils.translation import gettext as _

from ebok.access import customer_prefix
from ebok.logging import request_id_var
from ebok.security import current_request_var

log = logging.getLogger("ebok.request")

# An incoming id (from nginx's $request_id or a load balancer) is kept only if it looks like one:
# it ends up in every log line, so nothing that could forge a line or blow up its size.
_SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
try:
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError
except ImportError:  # redis is only needed with REDIS_URL
    RedisConnectionError = RedisTimeoutError = OperationalError
# The stores every page may need: PostgreSQL, and Redis when it holds the cache and session copies.
DATABASE_ERRORS = (OperationalError, InterfaceError, RedisConnectionError, RedisTimeoutError)


def client_address(request) -> str | None:
    """The client's address behind EBOK_PROXY_COUNT trusted proxies, from X-Forwarded-For.

    Each proxy appends the address it saw, so the client is the Nth entry from the right; anything
    further left was written by the client and is ignored (it would let anyone dodge a lockout).
    """
    count = settings.EBOK_PROXY_COUNT
    if not count:
        return None
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return None
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return None


def _user_id(request) -> int | str | None:
    """The user's id if authentication already ran; never loads the session just to log it."""
    user = getattr(request, "user", None)
    if user is None or getattr(user, "_wrapped", None) is empty:
        return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """Gives each request an id (kept from X-Request-ID when sane), returns it in the response
    header and logs one line per request: method, path, status, duration, user id, client address
    and (through ebok.logging) the request id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The real client address for everything after us: django-axes, the audit log, this log.
        address = client_address(request)
        if address:
            request.META["REMOTE_ADDR"] = address
        incoming = request.headers.get("X-Request-ID", "")
        request.id = incoming if _SANE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        id_token = request_id_var.set(request.id)
        request_token = current_request_var.set(request)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request.id
            duration_ms = round((time.monotonic() - started) * 1000, 1)
            status = response.status_code
            log.log(
                logging.WARNING if status >= 500 else logging.INFO,
                "%s %s %s %sms user=%s ip=%s",
                request.method,
                request.path,
                status,
                duration_ms,
                _user_id(request),
                request.META.get("REMOTE_ADDR"),
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": status,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            current_request_var.reset(request_token)
            request_id_var.reset(id_token)


def database_unavailable_response(request, exc: BaseException):
    """The 503 page, rendered without touching the database (no context processors, no session)."""
    from django.http import HttpResponse
    from django.template import loader

    logging.getLogger("ebok.db").error("database unavailable: %s: %s", type(exc).__name__, exc)
    body = loader.get_template("errors/503.html").render({})
    response = HttpResponse(body, status=503)
    # Long enough for a restart or fail-over, short enough that a person retrying is not kept waiting.
    response["Retry-After"] = "30"
    return response


class DatabaseUnavailableMiddleware:
    """Turns a lost database connection in a view into a 503 page with Retry-After.

    Errors raised outside views (a session saved in a middleware) reach ``ebok.errors.server_error``,
    which answers the same way. Recovery needs nothing from us: CONN_HEALTH_CHECKS makes Django
    drop the broken connection and open a fresh one on the next request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request, exception)
        return None


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Polish unless the visitor chose English with the footer's switch (the language cookie).

    Django's LocaleMiddleware also reads the browser's Accept-Language; many Polish customers run
    an English-language browser, and the portal of a Polish utility should still speak Polish to
    them until they ask otherwise.
    """

    def process_request(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()


class RequestBodyLimitMiddleware:
    """Refuses a request whose Content-Length is over the limit of its path, before anything
    reads the body: the limits of docs/deployment.md hold without nginx in front too.

    ``EBOK_REQUEST_BODY_LIMITS`` lists (path pattern, bytes), the first match wins; every other
    path gets ``EBOK_REQUEST_BODY_DEFAULT_LIMIT``. Without a Content-Length Django reads no body.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.limits = [(re.compile(pattern), size) for pattern, size in settings.EBOK_REQUEST_BODY_LIMITS]

    def limit_for(self, path: str) -> int:
        for pattern, size in self.limits:
            if pattern.match(path):
                return size
        return settings.EBOK_REQUEST_BODY_DEFAULT_LIMIT

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        limit = self.limit_for(request.path_info)
        if length > limit:
            message = _("Przesłane dane są za duże (najwyżej %(megabytes)d MB). Wróć i prześlij mniej.") % {
                "megabytes": limit // (1024 * 1024)
            }
            return render(request, "errors/400.html", {"message": message}, status=413)
        return self.get_response(request)


class RejectNulMiddleware:
    """A NUL byte in the path, the query or a cookie never reaches a database lookup.

    PostgreSQL refuses NUL in a string, so ``/punkty-odbioru/%00/`` or a forged session cookie
    would end as a 500. No valid path holds one (404); a query or cookie with one is malformed (400).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path:
            raise Http404
        if any("\x00" in value for values in request.GET.lists() for value in values[1]) or any(
            "\x00" in name or "\x00" in value for name, value in request.COOKIES.items()
        ):
            raise BadRequest("NUL byte in the query or a cookie")
        return self.get_response(request)


class NoStoreForSessionsMiddleware:
    """``Cache-Control: private, no-store`` on every response to a request that carries a session:
    customer pages hold financial data, and a shared computer's cache or back button after logout
    must not show them. Reads no session and no user, so it costs no query. A response whose view
    chose a private cache lifetime itself (the payment QR images, five minutes) keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and "private" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True, no_store=True)
        return response


class CustomerInPathMiddleware:
    """``/odbiorca/100001/dokumenty/`` is ``/dokumenty/`` for customer 100001.

    The segment is taken off ``path_info`` (so the URLconf knows nothing of it) and put into the
    script prefix for the request, so every ``reverse()`` and ``{% url %}`` of the request carries
    it, without any view or template naming the customer. ``request.customer_in_url`` holds the
    number; whether the login reaches it is decided by ``ebok.access``. A login with one customer
    keeps URLs without the segment."""

    pattern = re.compile(r"^/odbiorca/(?P<number>[^/]+)(?P<rest>/.*)$")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        match = self.pattern.match(request.path_info)
        if match is None:
            request.customer_in_url = None
            return self.get_response(request)
        request.customer_in_url = match["number"]  # PATH_INFO arrives decoded
        request.path_info = match["rest"]
        previous = get_script_prefix()
        set_script_prefix(customer_prefix(request.customer_in_url, previous))
        try:
            return self.get_response(request)
        finally:
            # The test client and ASGI threads reuse the thread: leave the prefix as found.
            set_script_prefix(previous)
